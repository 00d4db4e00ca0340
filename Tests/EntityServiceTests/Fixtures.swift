import EntityModel
import EntityService
import SQLiteEntityStore

/// The schema of the issue's example: products with a pattern id, typed fields and an action,
/// and a namespace with a nested collection.
let exampleSchemaText = """
    {"namespaces": {"devops": {"collections": {"services": {"idPrefix": "SRVC",
        "collections": {"environments": {}}}}}},
     "collections": {"products": {
        "idPrefix": "PRD", "idPattern": "###-###-###",
        "fields": {"name": {"type": "string", "required": true}, "price": {"type": "decimal"},
                   "status": {"type": "string"}, "released": {"type": "datetime"}},
        "indexes": ["status", "price"], "search": ["name", "description"],
        "actions": {"endsale": {"when": "eq(status,published)", "set": {"status": "endofsale"}},
                    "discontinue": {"on": "collection", "when": "eq(status,draft)", "set": {"status": "discontinued"}}}},
      "notes": {}}}
    """

func makeService(schema: Schema? = nil) async throws -> EntityService {
    let store = try SQLiteEntityStore.inMemory()
    let service = try EntityService(store: store, schema: try schema ?? Schema(json: JSON(parsing: exampleSchemaText)))
    try await service.prepareStore()
    return service
}

let products = CollectionPath("products")
let caller = Caller(userID: "alice", channel: "test")

import ArgumentParser
import EntityClient
import EntityModel

/// `entityhub create products --data '{...}'`: creates one entity (an object) or several (an array).
struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an entity (a JSON object) or several at once (a JSON array).",
        discussion: "Example: entityhub create products --data '{\"name\": \"Lamp\", \"price\": 25}'"
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var input: JSONInputOptions

    @Argument(help: "The collection, e.g. products or devops/services/SRVC-1/environments.")
    var collection: String

    @Flag(help: "Print compact JSON on one line.")
    var compact = false

    func run() async throws {
        let target = try EntityPath(collection).collection(in: try connection.makeClient())
        let body = try input.requiredBody()
        switch body {
        case .array(let values): try printJSON(.array(try await target.bulkCreate(values)), compact: compact)
        case .object: try printJSON(try await target.create(body), compact: compact)
        default: throw CLIError("the body must be a JSON object or an array of objects, not \(body.typeName)")
        }
    }
}

/// `entityhub update products/PRD-1 --data '{...}'`: changes the given fields of one entity.
struct UpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change fields of an entity (only the fields given), or apply a JSON merge patch.",
        discussion: "Example: entityhub update products/PRD-1 --data '{\"price\": 30}' --if-version 3"
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var input: JSONInputOptions

    @Argument(help: "COLLECTION/ID of the entity.")
    var path: String

    @Option(help: "Write only if the entity still has this version (otherwise: version mismatch, nothing written).")
    var ifVersion: Int64?

    @Flag(help: "Treat the body as a JSON merge patch (RFC 7396): null removes a field, objects merge.")
    var merge = false

    @Flag(help: "Print compact JSON on one line.")
    var compact = false

    func run() async throws {
        let resource = try EntityPath(path).resource(in: try connection.makeClient())
        let body = try input.requiredBody()
        guard case .object = body else { throw CLIError("the body must be a JSON object, not \(body.typeName)") }
        let updated =
            merge
            ? try await resource.patch(body, ifVersion: ifVersion)
            : try await resource.update(body, ifVersion: ifVersion)
        try printJSON(updated, compact: compact)
    }
}

/// `entityhub delete products/PRD-1 [products/PRD-2 ...]`: deletes entities.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete one or more entities.",
        discussion: "Example: entityhub delete products/PRD-1 products/PRD-2"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "COLLECTION/ID of each entity.")
    var paths: [String]

    @Option(help: "Delete only if the entity still has this version (one path only).")
    var ifVersion: Int64?

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one COLLECTION/ID") }
        if ifVersion != nil && paths.count > 1 { throw ValidationError("--if-version takes exactly one path") }
    }

    func run() async throws {
        let client = try connection.makeClient()
        let resources = try paths.map { try EntityPath($0).resource(in: client) }
        for resource in resources {
            try await resource.delete(ifVersion: ifVersion)
            printToStandardError("deleted \(resource.path.joined(separator: "/"))")
        }
    }
}

/// `entityhub action products/PRD-1/endsale`: runs an action on an entity or a collection.
struct ActionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action",
        abstract: "Run an action of an entity (COLLECTION/ID/ACTION) or of a collection (COLLECTION/ACTION).",
        discussion: "Example: entityhub action products/PRD-1/endsale --data '{\"reason\": \"eol\"}'"
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var input: JSONInputOptions

    @Argument(help: "The action's path, e.g. products/PRD-1/endsale or products/discontinue.")
    var path: String

    @Option(help: "The HTTP method: POST (default), GET, PUT or DELETE.")
    var method = "POST"

    @Flag(help: "Print compact JSON on one line.")
    var compact = false

    func validate() throws {
        guard ["POST", "GET", "PUT", "DELETE"].contains(method.uppercased()) else {
            throw ValidationError("--method must be POST, GET, PUT or DELETE")
        }
    }

    func run() async throws {
        let action = try EntityPath(path).action(in: try connection.makeClient())
        let body = try input.body()
        let result: JSON? =
            switch method.uppercased() {
            case "GET": try await action.get()
            case "PUT": try await action.put(body)
            case "DELETE": try await action.delete()
            default: try await action.post(body)
            }
        if let result { try printJSON(result, compact: compact) }
    }
}

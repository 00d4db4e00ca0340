import PostgresNIO

/// The read by id, prepared once per connection: the most frequent statement skips parsing and
/// planning on every call.
struct EntityByID: PostgresPreparedStatement {
    static let sql =
        "SELECT \(EntityRow.columns) FROM entities WHERE collection = $1 AND id = $2"

    typealias Row = PostgresRow

    let collection: String
    let id: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(collection)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

import ArgumentParser
import EntityClient
import EntityModel

/// `entityhub share list|grant|revoke`: who may read, update or delete one entity.
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "List, grant and revoke users' rights on an entity (as its creator or an admin).",
        subcommands: [List.self, Grant.self, Revoke.self]
    )

    /// `entityhub share list products/PRD-1`: a table of user, right and grant.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every user's right on an entity: C (creator), D (delete), U (update), r (read) or none.",
            discussion: "Example: entityhub share list products/PRD-1"
        )

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: RecordOutputOptions
        @OptionGroup var entity: SharedEntity

        func run() async throws {
            try output.write(try await entity.access(with: connection).list())
        }
    }

    /// `entityhub share grant products/PRD-1 bob delete`.
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a user a right on an entity (or change the one they have).",
            discussion: "Example: entityhub share grant products/PRD-1 bob update"
        )

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var entity: SharedEntity

        @Argument(help: "The user to give the right to.")
        var user: String

        @Argument(help: "read (r), update (U) or delete (D); each includes the weaker ones.")
        var right: RightArgument

        func run() async throws {
            let grant = try await entity.access(with: connection).grant(user, right.right)
            printToStandardError("granted \(grant.right.name) on \(grant.entity) to \(grant.user) (\(grant.id))")
        }
    }

    /// `entityhub share revoke products/PRD-1 bob`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take back the right a user was granted on an entity.",
            discussion: "Example: entityhub share revoke products/PRD-1 bob"
        )

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var entity: SharedEntity

        @Argument(help: "The user whose grant to revoke.")
        var user: String

        func run() async throws {
            try await entity.access(with: connection).revoke(user)
            printToStandardError("revoked \(user)'s right on \(entity.path)")
        }
    }
}

/// The entity argument of the `share` commands, COLLECTION/ID: a collection alone is refused before
/// anything is sent.
struct SharedEntity: ParsableArguments {
    @Argument(help: "COLLECTION/ID of the entity, e.g. products/PRD-1.")
    var path: String

    func validate() throws { try EntityPath(path).requireResource() }

    /// The sharing of the entity, reached with the client `connection` describes.
    func access(with connection: ConnectionOptions) throws -> AccessReference {
        try EntityPath(path).resource(in: try connection.makeClient()).access
    }
}

extension AccessEntry: TableRecord {
    static let columns = ["user", "right", "grant"]

    /// The entry as a row of `share list`.
    var row: JSON {
        ["user": .string(user), "right": JSON(cell: right?.rawValue), "grant": JSON(cell: grantID)]
    }
}

import ArgumentParser
import EntityClient
import EntityModel

/// `entityhub users add|list|remove`: the server's user accounts (needs an admin's key).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, list and remove users (as an admin).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    /// `entityhub users add bob [--admin] [--password-stdin]`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; without --password-stdin the user signs in with API keys only.",
            discussion: """
                The password is read from one line of standard input, never from an argument.
                Example: printf '%s\\n' "$PASSWORD" | entityhub users add bob --password-stdin
                """
        )

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The user's name: 1 to 64 letters, digits, '.', '_', '-' or '@'.")
        var name: String

        @Flag(help: "Make the user an admin.")
        var admin = false

        @Flag(help: "Read the user's password from one line of standard input.")
        var passwordStdin = false

        func run() async throws {
            let client = try connection.makeClient()
            let account = try await client.admin.addUser(
                name: name,
                password: try password(),
                role: admin ? .admin : .user
            )
            printToStandardError("added user \(account.name) (\(account.role))")
        }

        /// The password given on one line of standard input (through `readingLine`) with
        /// `--password-stdin`, without its line break; `nil` without the flag.
        func password(readingLine: () -> String? = { readLine(strippingNewline: true) }) throws -> String? {
            guard passwordStdin else { return nil }
            guard var line = readingLine() else {
                throw CLIError("--password-stdin: standard input ended before a password line")
            }
            if line.hasSuffix("\r") { line.removeLast() }
            guard !line.isEmpty else { throw CLIError("--password-stdin: the password line is empty") }
            return line
        }
    }

    /// `entityhub users list`: a table of name, role and creation time.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users: name, role and when added.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: RecordOutputOptions

        func run() async throws {
            let users = try await connection.makeClient().admin.users()
            try output.write(users)
        }
    }

    /// `entityhub users remove bob [--transfer-to erin]`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user with their API keys and grants.",
            discussion: """
                The entities the user created stay, owned by admins alone (a user added later under the same \
                name gets no right on them), unless --transfer-to names a user to pass them to.
                """
        )

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The user's name.")
        var name: String

        @Option(name: .customLong("transfer-to"), help: "The user who becomes the creator of their entities.")
        var newOwner: String?

        func run() async throws {
            try await connection.makeClient().admin.removeUser(name, transferringTo: newOwner)
            if let newOwner {
                printToStandardError("removed user \(name); their entities now belong to \(newOwner)")
            } else {
                printToStandardError("removed user \(name)")
            }
        }
    }
}

extension UserAccount: TableRecord {
    static let columns = ["name", "role", "created", "id"]

    /// The account as a row of `users list`.
    var row: JSON {
        [
            "name": .string(name), "role": .string(role.rawValue), "created": JSON(cell: createdAt),
            "id": id.map(JSON.string) ?? .null,
        ]
    }
}

import ArgumentParser
import EntityClient
import EntityModel
import Foundation
import Testing

@testable import EntityHubCLI

/// `entityhub users|keys|share|audit`: what they accept, and what they refuse before anything is sent.
@Suite struct AdminCommandParsingTests {
    private func parse<T>(_ arguments: [String], as type: T.Type) throws -> T {
        try #require(try EntityHubCommand.parseAsRoot(arguments) as? T)
    }

    @Test func usersAddTakesTheRoleAndReadsThePasswordOnlyWithTheFlag() throws {
        let plain = try parse(["users", "add", "bob", "--endpoint", "http://h:1"], as: UsersCommand.Add.self)
        #expect(plain.name == "bob")
        #expect(!plain.admin)
        #expect(plain.connection.endpoint == "http://h:1")
        // Without --password-stdin nothing is read: the user signs in with API keys only.
        #expect(
            try plain.password(readingLine: {
                Issue.record("read standard input"); return nil
            }) == nil
        )

        let admin = try parse(["users", "add", "root", "--admin", "--password-stdin"], as: UsersCommand.Add.self)
        #expect(admin.admin)
        #expect(try admin.password(readingLine: { "s3cret pass\r" }) == "s3cret pass")
    }

    @Test(arguments: [nil, ""])
    func passwordStdinNeedsANonEmptyLine(_ line: String?) throws {
        let command = try parse(["users", "add", "bob", "--password-stdin"], as: UsersCommand.Add.self)
        let error = #expect(throws: CLIError.self) { try command.password(readingLine: { line }) }
        #expect(error?.description.hasPrefix("--password-stdin: ") == true)
    }

    @Test func theOtherCommandsTakeTheirArguments() throws {
        #expect(try parse(["users", "list", "--format", "json"], as: UsersCommand.List.self).output.format == .json)
        #expect(try parse(["users", "remove", "bob"], as: UsersCommand.Remove.self).name == "bob")
        #expect(try parse(["users", "remove", "bob"], as: UsersCommand.Remove.self).newOwner == nil)
        #expect(
            try parse(["users", "remove", "bob", "--transfer-to", "erin"], as: UsersCommand.Remove.self).newOwner
                == "erin"
        )

        let create = try parse(["keys", "create", "--user", "bob", "--label", "ci"], as: KeysCommand.Create.self)
        #expect(create.user == "bob")
        #expect(create.label == "ci")
        #expect(try parse(["keys", "create", "--user", "bob"], as: KeysCommand.Create.self).label == nil)
        #expect(try parse(["keys", "list", "--user", "bob"], as: KeysCommand.List.self).user == "bob")
        #expect(try parse(["keys", "revoke", "KEY-1"], as: KeysCommand.Revoke.self).id == "KEY-1")

        let grant = try parse(["share", "grant", "products/PRD-1", "bob", "DaR"], as: ShareCommand.Grant.self)
        #expect(grant.entity.path == "products/PRD-1")
        #expect(grant.user == "bob")
        #expect(grant.right.right == .delete)
        #expect(
            try parse(["share", "list", "devops/services/S-1"], as: ShareCommand.List.self).entity.path
                == "devops/services/S-1"
        )
        #expect(try parse(["share", "revoke", "products/PRD-1", "bob"], as: ShareCommand.Revoke.self).user == "bob")

        let audit = try parse(["audit", "--after", "12", "--limit", "5"], as: AuditCommand.self)
        #expect(audit.after == 12)
        #expect(audit.limit == 5)
        let defaults = try parse(["audit"], as: AuditCommand.self)
        #expect(defaults.after == 0)
        #expect(defaults.limit == 100)
    }

    @Test(arguments: [
        ["users", "add"],
        ["users", "add", "bob", "--password", "s3cret"],
        ["users", "add", "bob", "s3cret"],
        ["users", "remove"],
        ["users", "list", "--format", "xml"],
        ["keys", "create"],
        ["keys", "create", "--label", "ci"],
        ["keys", "list"],
        ["keys", "revoke"],
        ["share", "list", "products"],
        ["share", "grant", "products/PRD-1", "bob"],
        ["share", "grant", "products/PRD-1", "bob", "C"],
        ["share", "grant", "products/PRD-1", "bob", "creator"],
        ["share", "grant", "products/PRD-1", "bob", "admin"],
        ["share", "grant", "products", "bob", "read"],
        ["share", "revoke", "products/PRD-1"],
        ["audit", "--after", "-1"],
        ["audit", "--limit", "0"],
        ["audit", "--timeout", "0"],
    ])
    func invalidArgumentsAreRefusedBeforeAnythingIsSent(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try EntityHubCommand.parseAsRoot(arguments) }
    }

    @Test func aPathThatNamesACollectionIsRefusedWithOneLine() {
        let message = refusal(["share", "list", "products"])
        #expect(message == "'products' names a collection; give COLLECTION/ID")
    }

    @Test(arguments: [
        ("r", AccessRight.read), ("read", .read), ("READ", .read), ("U", .update), ("update", .update),
        ("D", .delete), ("delete", .delete), ("DaR", .delete),
    ])
    func rightsAreNamedOrCoded(_ text: String, _ right: AccessRight) {
        #expect(RightArgument(argument: text)?.right == right)
    }

    @Test func recordsBecomeTheRowsOfTheirTables() {
        #expect(UserAccount.columns == ["name", "role", "created", "id"])
        #expect(AccessEntry.columns == ["user", "right", "grant"])
        let date = Date(timeIntervalSince1970: 1_796_205_600)
        #expect(
            UserAccount(id: "USR-1", name: "bob", role: .admin, createdAt: date).row
                == ["name": "bob", "role": "admin", "created": "2026-12-02T10:00:00Z", "id": "USR-1"]
        )
        #expect(
            APIKey(id: "KEY-1", user: "bob", label: nil, createdAt: date).row
                == ["id": "KEY-1", "user": "bob", "label": nil, "created": "2026-12-02T10:00:00Z"]
        )
        #expect(
            AccessEntry(user: "bob", right: .update, grantID: "GRT-1").row == [
                "user": "bob", "right": "U", "grant": "GRT-1",
            ]
        )
        #expect(
            AccessEntry(user: "carol", right: nil, grantID: nil).row == ["user": "carol", "right": nil, "grant": nil]
        )
        let event = AuditEntry(sequence: 3, at: date, action: "login.failed", subject: "eve").row
        #expect(event["sequence"] == 3)
        #expect(event["actor"] == .null)
        #expect(event["subject"] == "eve")
    }

    @Test func aTableOfRecordsHasTheGivenColumns() {
        let rows = [AccessEntry(user: "alice", right: .creator, grantID: nil).row]
        let text = TableRenderer(columns: AccessEntry.columns).render(rows)
        #expect(text == "user   right  grant\n─────  ─────  ─────\nalice  C\n")
    }
}

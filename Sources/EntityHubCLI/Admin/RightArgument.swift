import ArgumentParser
import EntityModel

/// A right to grant on the command line: `read` (`r`), `update` (`U`) or `delete` (`D`), in any case; a
/// longer code such as `DaR` is read by its first character, as the server does. The creator's right
/// cannot be granted.
struct RightArgument: ExpressibleByArgument {
    let right: AccessRight

    init?(argument: String) {
        switch argument.lowercased() {
        case "r", "read": right = .read
        case "u", "update": right = .update
        case "d", "delete": right = .delete
        default:
            guard let right = AccessRight(code: argument), right != .creator else { return nil }
            self.right = right
        }
    }

    static var allValueStrings: [String] { ["read", "update", "delete"] }
}

extension AccessRight {
    /// The right's name for people: `creator`, `delete`, `update` or `read`.
    var name: String {
        switch self {
        case .creator: "creator"
        case .delete: "delete"
        case .update: "update"
        case .read: "read"
        }
    }
}

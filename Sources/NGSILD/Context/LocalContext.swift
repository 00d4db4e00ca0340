import EntityModel

/// One context object while its terms are being defined: its members, which terms are done
/// (`true`) or in progress (`false`, to detect cyclic definitions), and where it came from.
struct LocalContext {
    /// The members of a context object that are not term definitions.
    static let contextMembers: Set<String> = [
        "@base", "@direction", "@import", "@language", "@propagate", "@protected", "@version", "@vocab",
    ]

    let members: [String: JSON]
    let source: String?
    let allowsScopedContexts: Bool
    var protectsByDefault = false
    var defined: [String: Bool] = [:]

    init(members: [String: JSON], source: String?, allowsScopedContexts: Bool) {
        self.members = members
        self.source = source
        self.allowsScopedContexts = allowsScopedContexts
    }

    /// `true` when `name` is defined in this context object and not yet done.
    func needsDefinition(_ name: String) -> Bool {
        members[name] != nil && defined[name] != true && !Self.contextMembers.contains(name)
    }

    /// An invalid-context error naming the source document.
    func error(_ message: String) -> NGSILDError {
        NGSILDError(.invalidContext, message, url: source)
    }

    /// An invalid-context error about one term.
    func error(term: String, _ message: String) -> NGSILDError {
        error("term \"\(term)\": \(message)")
    }

    /// A boolean member, or `nil` when absent.
    func boolean(_ value: JSON?, named name: String) throws(NGSILDError) -> Bool? {
        switch value {
        case nil: return nil
        case .bool(let flag)?: return flag
        case let other?: throw error("\(name) must be a boolean, found \(other.typeName)")
        }
    }
}

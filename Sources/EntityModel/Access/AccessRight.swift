/// A user's right on one entity, strongest first: each right includes every weaker one.
///
/// The raw values are the one-letter codes of the oaio protocol. Their mixed case is deliberate:
/// sorting by code gives `C < D < U < r`, strongest first.
public enum AccessRight: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The creator's right: everything, including sharing. Admins hold it on every entity.
    case creator = "C"
    /// Delete, update and read.
    case delete = "D"
    /// Update and read.
    case update = "U"
    /// Read only.
    case read = "r"

    /// Reads a right code, normalised by its first character, so both `D` and the newer `DaR`
    /// spelling mean ``delete``. `nil` for anything else (including `x`, "no right").
    public init?(code: String) {
        guard let first = code.first else { return nil }
        self.init(rawValue: String(first))
    }

    /// How strong the right is: 4 for ``creator`` down to 1 for ``read``.
    public var strength: Int {
        switch self {
        case .creator: 4
        case .delete: 3
        case .update: 2
        case .read: 1
        }
    }

    /// Whether holding this right allows what `other` allows.
    public func includes(_ other: AccessRight) -> Bool { strength >= other.strength }

    /// Weaker rights sort first: `.read < .update < .delete < .creator`.
    public static func < (lhs: AccessRight, rhs: AccessRight) -> Bool { lhs.strength < rhs.strength }
}

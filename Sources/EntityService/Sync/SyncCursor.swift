import Foundation

/// Where a sync client is in the store's change log: the last change-log sequence it has, and the
/// identity of the store it came from, as one opaque token (`base64url("1.<store>.<sequence>")`,
/// with `.s` appended inside a snapshot).
public struct SyncCursor: Sendable, Hashable {
    public var storeID: String
    public var sequence: Int64
    /// Whether the cursor is between two pages of a snapshot: the next page lists no tombstones
    /// either, and the cursor never expires (a snapshot's early pages hold old entities, whose
    /// sequences may lie before the retention horizon).
    public var isSnapshot: Bool

    public init(storeID: String, sequence: Int64, isSnapshot: Bool = false) {
        self.storeID = storeID
        self.sequence = sequence
        self.isSnapshot = isSnapshot
    }

    /// Reads a token; `nil` when it is not one.
    public init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.utf8.count <= 200, let data = Data(base64Encoded: base64),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 || (parts.count == 4 && parts[3] == "s"), parts[0] == "1", !parts[1].isEmpty,
            let sequence = Int64(parts[2]), sequence >= 0
        else { return nil }
        self.init(storeID: String(parts[1]), sequence: sequence, isSnapshot: parts.count == 4)
    }

    /// The opaque token.
    public var token: String {
        Data("1.\(storeID).\(sequence)\(isSnapshot ? ".s" : "")".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

import EntityQuery
import Synchronization

/// The parsed form of recently requested URLs with query options, so that a client repeating a
/// query (paging through a list, polling a filter) does not pay for parsing its `$filter` again.
///
/// A parse depends only on the text and on the model's names, which are fixed for the server's
/// life, so entries never go stale. Only successful parses are kept; the cache is emptied when it
/// reaches its capacity, and URLs longer than ``maximumLength`` are never kept, so it stays small.
final class ODataURICache: Sendable {
    /// The longest URL kept, in UTF-8 bytes.
    static let maximumLength = 2048

    private let entries = Mutex<[String: ODataRelativeURI]>([:])
    private let capacity: Int

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    /// The parse of `text`: from the cache, or from `parse` (and then kept).
    func uri(
        for text: String,
        parse: (String) throws(ODataQueryError) -> ODataRelativeURI
    ) throws(ODataQueryError) -> ODataRelativeURI {
        guard text.utf8.count <= Self.maximumLength else { return try parse(text) }
        if let cached = entries.withLock({ $0[text] }) { return cached }
        let uri = try parse(text)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[text] = uri
        }
        return uri
    }
}

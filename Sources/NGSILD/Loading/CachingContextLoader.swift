import EntityModel

/// Keeps the documents another loader obtained, by URL: a bounded least-recently-used cache with an
/// optional time to live. Concurrent requests for one URL share a single load; failures are not kept.
///
/// ```swift
/// let loader = CachingContextLoader(wrapping: HTTPContextLoader(), configuration: .init(capacity: 64))
/// ```
public actor CachingContextLoader: ContextLoader {
    /// How many documents are kept, and for how long.
    public struct Configuration: Sendable {
        /// The most documents kept; the least recently used goes first. Default 128.
        public var capacity: Int
        /// How long a document stays valid after it was loaded; `nil` keeps it until evicted. Default 1 hour.
        public var timeToLive: Duration?

        /// A cache of `capacity` documents (at least one), each valid for `timeToLive`.
        public init(capacity: Int = 128, timeToLive: Duration? = .seconds(3600)) {
            self.capacity = max(1, capacity)
            self.timeToLive = timeToLive
        }
    }

    private struct Entry {
        let document: JSON
        let loadedAt: ContinuousClock.Instant
        var lastUse: UInt64
    }

    private let loader: any ContextLoader
    private let configuration: Configuration
    private var entries: [String: Entry] = [:]
    private var loading: [String: Task<Result<JSON, NGSILDError>, Never>] = [:]
    private var useCounter: UInt64 = 0

    /// Caches what `loader` loads.
    public init(wrapping loader: any ContextLoader, configuration: Configuration = .init()) {
        self.loader = loader
        self.configuration = configuration
    }

    /// The kept document for `url` if still valid, else the wrapped loader's, shared with concurrent callers.
    public func loadDocument(at url: String) async throws(NGSILDError) -> JSON {
        useCounter += 1
        if let entry = entries[url], isFresh(entry) {
            entries[url]?.lastUse = useCounter
            return entry.document
        }
        if let pending = loading[url] { return try await pending.value.get() }
        let loader = self.loader
        // One task per URL lets concurrent callers share the load; the wrapped loader's timeouts bound it.
        let pending = Task { () -> Result<JSON, NGSILDError> in
            do throws(NGSILDError) {
                return .success(try await loader.loadDocument(at: url))
            } catch {
                return .failure(error)
            }
        }
        loading[url] = pending
        let result = await pending.value
        loading[url] = nil
        if case .success(let document) = result { store(document, for: url) }
        return try result.get()
    }

    /// The number of documents kept now.
    public var count: Int { entries.count }

    private func isFresh(_ entry: Entry) -> Bool {
        guard let timeToLive = configuration.timeToLive else { return true }
        return entry.loadedAt.duration(to: .now) < timeToLive
    }

    private func store(_ document: JSON, for url: String) {
        entries[url] = Entry(document: document, loadedAt: .now, lastUse: useCounter)
        while entries.count > configuration.capacity,
            let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
        {
            entries[oldest] = nil
        }
    }
}

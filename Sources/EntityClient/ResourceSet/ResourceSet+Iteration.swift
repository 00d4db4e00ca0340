import EntityModel

extension ResourceSet: AsyncSequence {
    public typealias Element = JSON

    /// Fetches pages one after the other, as the entities of the previous one run out.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: PageIterator<JSON>

        public mutating func next() async throws -> JSON? {
            try await pages.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: PageIterator(set: self) { response throws(EntityClientError) in try response.jsonArray() })
    }

    /// The entities of the set decoded as `type`, fetched page by page.
    ///
    /// ```swift
    /// for try await product in products.filter(R.price > 10).decoded(as: Product.self) { … }
    /// ```
    public func decoded<T: Decodable & Sendable>(as type: T.Type) -> DecodedResourceSet<T> {
        DecodedResourceSet(set: self)
    }

    /// For each entity, the values at the given dot paths (`values("name", "address.city")`); the set
    /// asks the server for those fields only.
    public func values(_ paths: String...) -> ResourceValues {
        ResourceValues(set: self.select(paths.joined(separator: ",")), paths: paths)
    }
}

/// The entities of a ``ResourceSet`` decoded as `T`; see ``ResourceSet/decoded(as:)``.
public struct DecodedResourceSet<T: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = T

    let set: ResourceSet

    /// Fetches pages one after the other and decodes them.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: PageIterator<T>

        public mutating func next() async throws -> T? {
            try await pages.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        let client = set.collection.client
        return AsyncIterator(
            pages: PageIterator(set: set) { response throws(EntityClientError) in
                try client.decode([T].self, from: response)
            }
        )
    }
}

/// Picked values of each entity of a ``ResourceSet``; see ``ResourceSet/values(_:)``.
public struct ResourceValues: AsyncSequence, Sendable {
    public typealias Element = [String: JSON]

    let set: ResourceSet
    let paths: [String]

    /// Fetches pages one after the other and picks the values.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var entities: ResourceSet.AsyncIterator
        let paths: [String]

        public mutating func next() async throws -> [String: JSON]? {
            guard let entity = try await entities.next() else { return nil }
            return FieldPicker.pick(paths, from: entity)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(entities: set.makeAsyncIterator(), paths: paths)
    }
}

/// Walks the pages of a ``ResourceSet``: asks for the next page when the current one is used up, and
/// stops when the window is full, a page comes back short, or `Content-Range` says it was the last.
struct PageIterator<Element: Sendable>: Sendable {
    let set: ResourceSet
    let decodePage: @Sendable (ClientResponse) throws(EntityClientError) -> [Element]
    private var buffer: [Element] = []
    private var position = 0
    private var nextOffset: Int
    private var remaining: Int?
    private var finished = false

    init(set: ResourceSet, decodePage: @escaping @Sendable (ClientResponse) throws(EntityClientError) -> [Element]) {
        self.set = set
        self.decodePage = decodePage
        self.nextOffset = set.offset
        self.remaining = set.maximumCount
    }

    mutating func next() async throws(EntityClientError) -> Element? {
        if position == buffer.count {
            guard !finished else { return nil }
            try await fetchNextPage()
            guard position < buffer.count else { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func fetchNextPage() async throws(EntityClientError) {
        let limit = min(set.effectivePageSize, remaining ?? .max)
        guard limit > 0 else {
            finished = true
            buffer = []
            position = 0
            return
        }
        let response = try await set.fetchPage(offset: nextOffset, limit: limit)
        let range = try response.contentRange()
        buffer = try decodePage(response)
        position = 0
        nextOffset += buffer.count
        remaining = remaining.map { $0 - buffer.count }
        if buffer.count < limit || range.last >= range.total - 1 || remaining == 0 { finished = true }
    }
}

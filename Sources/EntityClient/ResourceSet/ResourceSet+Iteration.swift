import EntityModel

extension ResourceSet: AsyncSequence {
    public typealias Element = JSON

    /// Fetches pages one after the other, as the entities of the previous one run out.
    ///
    /// Entities of a fetched page are handed out on the caller's own executor (`next(isolation:)`), so a
    /// loop pays for a task switch per page, not per entity.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: PageIterator<JSON>

        public mutating func next() async throws(EntityClientError) -> JSON? {
            try await pages.next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(EntityClientError) -> JSON? {
            try await pages.next(isolation: actor)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            pages: PageIterator(set: self) { response throws(EntityClientError) in
                let entities = try response.jsonArray()
                return (entities, entities.last?.entityID)
            }
        )
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

        public mutating func next() async throws(EntityClientError) -> T? {
            try await pages.next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(EntityClientError) -> T? {
            try await pages.next(isolation: actor)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        let client = set.collection.client
        return AsyncIterator(
            pages: PageIterator(set: set) { [pagesByID = set.pagesByID] response throws(EntityClientError) in
                let values = try client.decode([T].self, from: response)
                guard pagesByID else { return (values, nil) }
                return (values, try client.decode([IdentifiedEntity].self, from: response).last?.id)
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

        public mutating func next() async throws(EntityClientError) -> [String: JSON]? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(EntityClientError)
            -> [String: JSON]?
        {
            guard let entity = try await entities.next(isolation: actor) else { return nil }
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
    /// Reads a page: its elements, and the id of its last entity (for paging by id).
    typealias PageDecoder = @Sendable (ClientResponse) throws(EntityClientError) -> ([Element], lastID: String?)

    let set: ResourceSet
    let decodePage: PageDecoder
    private var lastID: String?
    private var buffer: [Element] = []
    private var position = 0
    private var nextOffset: Int
    private var remaining: Int?
    private var finished = false

    init(set: ResourceSet, decodePage: @escaping PageDecoder) {
        self.set = set
        self.decodePage = decodePage
        self.nextOffset = set.offset
        self.remaining = set.maximumCount
    }

    mutating func next(isolation actor: isolated (any Actor)?) async throws(EntityClientError) -> Element? {
        if position == buffer.count {
            guard !finished else { return nil }
            try await fetchNextPage(isolation: actor)
            guard position < buffer.count else { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func fetchNextPage(isolation actor: isolated (any Actor)?) async throws(EntityClientError) {
        let limit = min(set.effectivePageSize, remaining ?? .max)
        guard limit > 0 else {
            finished = true
            buffer = []
            position = 0
            return
        }
        let response: ClientResponse
        if set.pagesByID, let lastID {
            // Keyset paging: the entities after the last one seen, from the start of that range.
            // The total is not needed to walk on, and counting "all after this id" would cost a scan per page.
            response = try await set.filter(R.id > lastID).fetchPage(offset: 0, limit: limit, countingTotal: false)
        } else {
            response = try await set.fetchPage(offset: nextOffset, limit: limit)
        }
        let range = try response.contentRange()
        (buffer, lastID) = try decodePage(response)
        if set.pagesByID, lastID == nil, !buffer.isEmpty {
            throw EntityClientError(
                .invalidArgument,
                errors: ["paging by id needs the id of each entity; do not exclude it with select"],
                request: response.request
            )
        }
        position = 0
        nextOffset += buffer.count
        remaining = remaining.map { $0 - buffer.count }
        let isLastPage = range.total.map { range.last >= $0 - 1 } ?? false
        if buffer.count < limit || isLastPage || remaining == 0 { finished = true }
    }
}

/// Just the id of an entity, to page typed sets by id.
private struct IdentifiedEntity: Decodable {
    let id: String
}

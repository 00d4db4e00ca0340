import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// Exact totals through random interleavings of writes, failed batches, grants, revocations and
/// counts, through one store or through two stores on one database.
extension EntityStoreConformance {
    static let totalsStayExactThroughRandomInterleavings = ConformanceCheck(
        "totalsStayExactThroughRandomInterleavings"
    ) { makeStore in
        try await randomInterleavings(seed: 16).run(makeStore)
    }

    static let totalsStayExactAcrossTwoStoresOnOneDatabase = SharedDatabaseCheck(
        "totalsStayExactAcrossTwoStoresOnOneDatabase"
    ) { makeStores in
        try await randomInterleavingsOnOneDatabase(seed: 1_616).run(makeStores)
    }

    /// A check of exact totals through `steps` random steps drawn from `seed`, all through one store:
    /// use it to replay a failure of the check `totalsStayExactThroughRandomInterleavings`, whose
    /// message names the seed and the step (with the steps before it).
    ///
    /// ```swift
    /// try await EntityStoreConformance.randomInterleavings(seed: 16).run { try await makeMyStore() }
    /// ```
    ///
    /// Each step is one of:
    /// - a batch inserting 1 to 5 entities (`status`, `price`, `title`, created by `alice`, `bob` or
    ///   no one);
    /// - an update of `status`, `price` or `title` (sometimes to the value it had), or of a field no
    ///   filter reads;
    /// - a delete, with or without the expected version;
    /// - a batch of such writes ending in one that fails (an existing id inserted again, a stale update
    ///   or delete), which must apply nothing: the ids it tried to insert are inserted by later steps;
    /// - a grant to `alice`, `bob` or `carol` (on an entity that is missing from its collection:
    ///   refused with `notFound`);
    /// - a revocation (of a grant there is, or of one there is not: `false`);
    /// - a count: one of ten fixed filters (comparisons, `in`, `and`/`or`/`not`, `isNull`, search),
    ///   with or without ``Query/readableBy`` `alice`, `bob` or `carol`, at an offset from 0 to 5 and
    ///   a limit from 0 to 3, so the page rarely tells the total and the store must count. Half the
    ///   counts ask one of the last six asked again.
    ///
    /// Most writes, grants and revocations (failed ones too) are also bracketed by a count the step
    /// may change, asked just before and again just after it: a filter one of the touched entities
    /// matches (before or after the write), for the grantee of a grant or revocation and otherwise
    /// for anyone, a creator or any reader. So a store that keeps totals, or caches them, must keep
    /// them exact across every kind of change.
    ///
    /// The steps spread over four collections: `products` (indexed `status` and `price`, searched
    /// `title`), the undeclared `orders`, and the nested `parts` under two different parents; ids
    /// repeat across collections. After the last step every filter is counted for every reader in
    /// every collection. Each total and page is compared with the ``Evaluator`` run over the check's
    /// own model of the entities, their creators and their grants.
    ///
    /// - Parameters:
    ///   - seed: fixes the steps.
    ///   - steps: how many steps are taken.
    public static func randomInterleavings(seed: UInt64, steps: Int = 300) -> ConformanceCheck {
        let call = "randomInterleavings(seed: \(seed), steps: \(steps))"
        return ConformanceCheck(call) { [call] makeStore in
            var run = Interleaving(seed: seed, stores: [try await makeStore()], replay: call)
            try await run.play(steps: steps)
        }
    }

    /// The steps of ``randomInterleavings(seed:steps:)`` through two stores on one database: each
    /// write, grant and revocation goes through one of them and each count is asked through one of
    /// them, or through both, drawn at random, so every total must be exact after the other store's
    /// changes as after its own. Use it to replay a failure of the check
    /// `totalsStayExactAcrossTwoStoresOnOneDatabase`, whose message names the seed, the step and the
    /// store (1 or 2).
    ///
    /// ```swift
    /// try await EntityStoreConformance.randomInterleavingsOnOneDatabase(seed: 1_616).run {
    ///     try await makeMyPairOfStores()
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - seed: fixes the steps and the store each is taken through.
    ///   - steps: how many steps are taken.
    public static func randomInterleavingsOnOneDatabase(seed: UInt64, steps: Int = 300) -> SharedDatabaseCheck {
        let call = "randomInterleavingsOnOneDatabase(seed: \(seed), steps: \(steps))"
        return SharedDatabaseCheck(call) { [call] makeStores in
            let (first, second) = try await makeStores()
            var run = Interleaving(seed: seed, stores: [first, second], replay: call)
            try await run.play(steps: steps)
        }
    }
}

/// One random interleaving of writes, grants, revocations and counts through one or more stores of
/// one database, with the model the totals are recounted from: the entities of each collection and
/// who holds a grant on them.
struct Interleaving {
    /// Two top-level collections and one nested collection under two parents (which need not exist).
    static let collections: [CollectionPath] = [
        products, CollectionPath("orders"), products.nested("parts", in: "K1"), products.nested("parts", in: "K2"),
    ]
    static let schema = Schema(
        collections: [
            "products": CollectionSchema(
                indexes: ["status", "price"],
                searchFields: ["title"],
                collections: ["parts": CollectionSchema(indexes: ["status"])]
            )
        ],
        isOpen: true
    )
    static let statuses: [JSON] = ["open", "closed", "draft"]
    static let titles: [JSON] = ["red lamp", "blue chair", "red chair", "green lamp"]
    static let creators: [String?] = ["alice", "bob", nil]
    static let grantees = ["alice", "bob", "carol"]
    static let readers: [String?] = [nil, "alice", "bob", "carol"]
    static let rights: [AccessRight] = [.read, .update, .delete]
    static let filters: [Filter?] = [
        nil,
        .compare("status", .eq, lit("open")),
        .compare("status", .ne, lit("closed")),
        .compare("price", .ge, lit("50")),
        .and([.membership("status", [lit("open"), lit("draft")], negated: false), .compare("price", .lt, lit("30"))]),
        .or([.compare("status", .eq, lit("closed")), .compare("price", .gt, lit("80"))]),
        .not(.and([.compare("price", .ge, lit("20")), .compare("price", .le, lit("60"))])),
        .isNull("price", negated: false),
        .search("red"),
        .and([.search("lamp"), .isNull("status", negated: true)]),
    ]

    /// A count asked during the run: the same filter, reader and collection at any page.
    struct Count {
        let collection: CollectionPath
        let filter: Filter?
        let reader: String?
    }

    let seed: UInt64
    let stores: [any EntityStore]
    let replay: String
    var random: SplitMix64
    /// The entities of each collection, by id.
    var entities: [CollectionPath: [String: Entity]] = [:]
    /// The users holding a grant on each entity of each collection, by entity id.
    var grants: [CollectionPath: [String: Set<String>]] = [:]
    /// How many ids of each collection were drawn for inserts that applied.
    var drawnIDs: [CollectionPath: Int] = [:]
    /// The last counts asked, most recent last.
    var recentCounts: [Count] = []
    /// One line per step taken.
    var history: [String] = []
    var step = 0

    init(seed: UInt64, stores: [any EntityStore], replay: String) {
        self.seed = seed
        self.stores = stores
        self.replay = replay
        self.random = SplitMix64(seed: seed)
    }

    /// Prepares every store for ``schema``, takes `steps` random steps, then counts every filter for
    /// every reader in every collection through every store.
    mutating func play(steps: Int) async throws {
        for store in stores {
            try await perform("prepare(for:)") { try await store.prepare(for: Self.schema) }
        }
        for number in 1...max(1, steps) {
            step = number
            switch random.next() % 100 {
            case 0..<16: try await insert()
            case 16..<34: try await update()
            case 34..<42: try await delete()
            case 42..<48: try await failingBatch()
            case 48..<60: try await saveGrant()
            case 60..<68: try await removeGrant()
            default: try await count()
            }
        }
        step += 1
        note("every filter for every reader in every collection")
        for collection in Self.collections {
            for filter in Self.filters {
                for reader in Self.readers {
                    for index in stores.indices {
                        let query = Query(filter: filter, limit: 2, readableBy: reader)
                        try await expectPage(query, in: collection, through: index)
                    }
                }
            }
        }
    }

    // MARK: Steps

    mutating func insert() async throws {
        let collection = pickCollection()
        var batch: [Entity] = []
        for _ in 0...(random.next() % 5) { batch.append(newEntity(in: collection)) }
        let watched = try await watch(collection, touching: batch)
        let (store, through) = pickStore()
        note("insert \(batch.map(\.id)) into \(collection)\(through)")
        try await perform("inserting \(batch.map(\.id)) into \(collection)\(through)") {
            try await store.apply(batch.map { .insert($0) })
        }
        for entity in batch { entities[collection, default: [:]][entity.id] = entity }
        try await recheck(watched)
    }

    mutating func update() async throws {
        let collection = pickCollection()
        guard let current = pickEntity(in: collection) else { return try await insert() }
        let next = changed(current)
        let watched = try await watch(collection, touching: [current, next])
        let (store, through) = pickStore()
        note("update \(current.id) in \(collection) to \(JSON.object(next.values))\(through)")
        try await perform("updating \(current.id) in \(collection)\(through)") {
            try await store.apply([.update(next, expectedVersion: current.version)])
        }
        entities[collection]?[current.id] = next
        try await recheck(watched)
    }

    mutating func delete() async throws {
        let collection = pickCollection()
        guard let current = pickEntity(in: collection) else { return try await insert() }
        let version = chance(50) ? current.version : nil
        let watched = try await watch(collection, touching: [current])
        let (store, through) = pickStore()
        note("delete \(current.id) from \(collection) (version \(version.map(String.init) ?? "any"))\(through)")
        try await perform("deleting \(current.id) from \(collection)\(through)") {
            try await store.apply([.delete(id: current.id, collection: collection, expectedVersion: version)])
        }
        entities[collection]?[current.id] = nil
        grants[collection]?[current.id] = nil
        try await recheck(watched)
    }

    /// Up to two writes that would succeed, then one that fails: nothing may change, and the ids the
    /// batch tried to insert are drawn again by later inserts.
    mutating func failingBatch() async throws {
        let collection = pickCollection()
        let drawnBefore = drawnIDs[collection, default: 0]
        defer { drawnIDs[collection] = drawnBefore }
        var batch: [EntityWrite] = []
        var touched: [Entity] = []
        var untouched = ids(in: collection)
        for _ in 0..<(random.next() % 3) {
            let kind = random.next() % 3
            if kind == 0 || untouched.isEmpty {
                let added = newEntity(in: collection)
                batch.append(.insert(added))
                touched.append(added)
                continue
            }
            let id = untouched.remove(at: Int(random.next() % UInt64(untouched.count)))
            guard let current = entities[collection]?[id] else { continue }
            touched.append(current)
            if kind == 1 {
                let next = changed(current)
                batch.append(.update(next, expectedVersion: current.version))
                touched.append(next)
            } else {
                batch.append(.delete(id: id, collection: collection, expectedVersion: current.version))
            }
        }
        let code: StoreError.Code
        let failing: String
        let target = untouched.isEmpty ? nil : pick(untouched)
        if let target, let current = entities[collection]?[target] {
            touched.append(current)
            let stale = current.version + 1
            switch random.next() % 3 {
            case 0:
                batch.append(.insert(changed(current, version: 1)))
                code = .duplicateID
                failing = "inserts the existing \(current.id)"
            case 1:
                batch.append(.update(changed(current, version: stale + 1), expectedVersion: stale))
                code = .versionConflict
                failing = "updates \(current.id) from a stale version"
            default:
                batch.append(.delete(id: current.id, collection: collection, expectedVersion: stale))
                code = .versionConflict
                failing = "deletes \(current.id) at a stale version"
            }
        } else {
            let added = newEntity(in: collection)
            batch += [.insert(added), .insert(added)]
            touched.append(added)
            code = .duplicateID
            failing = "inserts \(added.id) twice"
        }
        let watched = try await watch(collection, touching: touched)
        let (store, through) = pickStore()
        let description = "a batch of \(batch.count) writes in \(collection) that \(failing) last\(through)"
        note(description)
        try await expectStoreError(code, index: batch.count - 1, context(description)) {
            try await store.apply(batch)
        }
        try await recheck(watched)
    }

    mutating func saveGrant() async throws {
        let collection = pickCollection()
        let user = pick(Self.grantees)
        let right = pick(Self.rights)
        guard !chance(10), let target = pickEntity(in: collection) else {
            // An id that is missing here, though it may exist in another collection.
            let elsewhere = Self.collections.flatMap { ids(in: $0) }.filter { entities[collection]?[$0] == nil }
            let id = elsewhere.isEmpty ? "E9999" : pick(elsewhere)
            let watched = try await watch(collection, touching: [], readers: [user])
            let (store, through) = pickStore()
            let description = "grant \(right) on the missing \(id) in \(collection) to \(user)\(through)"
            note(description)
            try await expectStoreError(.notFound, context(description)) {
                try await store.saveGrant(
                    grant("G\(step)", on: id, in: collection, to: user, right),
                    audit: audit("grant", subject: user, target: "\(collection)/\(id)")
                )
            }
            return try await recheck(watched)
        }
        let watched = try await watch(collection, touching: [target], readers: [user])
        let (store, through) = pickStore()
        note("grant \(right) on \(target.id) in \(collection) to \(user)\(through)")
        try await perform("granting \(right) on \(target.id) in \(collection) to \(user)\(through)") {
            try await store.saveGrant(
                grant("G\(step)", on: target.id, in: collection, to: user, right),
                audit: audit("grant", subject: user, target: "\(collection)/\(target.id)")
            )
        }
        grants[collection, default: [:]][target.id, default: []].insert(user)
        try await recheck(watched)
    }

    mutating func removeGrant() async throws {
        let collection = pickCollection()
        let held = (grants[collection] ?? [:]).sorted { $0.key < $1.key }
            .flatMap { id, users in users.sorted().map { (id: id, user: $0) } }
        let id: String
        let user: String
        if !held.isEmpty, chance(75) {
            let chosen = pick(held)
            id = chosen.id
            user = chosen.user
        } else {
            let existing = ids(in: collection)
            id = existing.isEmpty ? "E9999" : pick(existing)
            user = pick(Self.grantees)
        }
        let expected = grants[collection]?[id]?.contains(user) ?? false
        let touched = entities[collection]?[id].map { [$0] } ?? []
        let watched = try await watch(collection, touching: touched, readers: [user])
        let (store, through) = pickStore()
        let description =
            "revoke the grant on \(id) in \(collection) of \(user) (\(expected ? "held" : "none"))\(through)"
        note(description)
        let removed = try await perform(description) {
            try await store.removeGrant(
                on: id,
                in: collection,
                from: user,
                audit: audit("revoke", subject: user, target: "\(collection)/\(id)")
            )
        }
        try expectEqual(removed, expected, context(description))
        grants[collection]?[id]?.remove(user)
        try await recheck(watched)
    }

    mutating func count() async throws {
        let asked: Count
        if !recentCounts.isEmpty, chance(50) {
            asked = pick(recentCounts)
        } else {
            asked = Count(collection: pickCollection(), filter: pick(Self.filters), reader: pick(Self.readers))
            remember(asked)
        }
        try await ask(asked, "count")
    }

    /// Before a step that writes `touched` (or changes who reads them) in `collection`: most times
    /// asks a count the step may change, of a filter one of `touched` matches and a reader of
    /// `readers` (by default: anyone, the creators of `touched` or any reader), so that a store may
    /// keep its total; ``recheck(_:)`` asks it again after the step.
    mutating func watch(
        _ collection: CollectionPath,
        touching touched: [Entity],
        readers: [String?]? = nil
    ) async throws -> Count? {
        guard chance(60) else { return nil }
        let searchFields = Self.searchFields(of: collection)
        let documents = touched.map(\.document)
        let matching = Self.filters.filter { filter in
            guard let filter else { return true }
            return documents.contains { Evaluator.matches(filter, $0, searchFields: searchFields) }
        }
        let reader = pick(readers ?? [nil] + touched.map(\.createdBy) + Self.readers)
        let watched = Count(
            collection: collection,
            filter: pick(touched.isEmpty ? Self.filters : matching),
            reader: reader
        )
        remember(watched)
        try await ask(watched, "count before the step")
        return watched
    }

    /// Asks the count of ``watch(_:touching:readers:)`` again, after the step.
    mutating func recheck(_ watched: Count?) async throws {
        guard let watched else { return }
        try await ask(watched, "count after the step")
    }

    /// Keeps `count` among the last six asked, which ``count()`` asks again.
    mutating func remember(_ count: Count) {
        recentCounts.append(count)
        if recentCounts.count > 6 { recentCounts.removeFirst() }
    }

    /// Asks `asked` for a page of 0 to 3 entities at an offset of 0 to 5, through one store or now and
    /// then through every store, and compares each page with the model.
    mutating func ask(_ asked: Count, _ why: String) async throws {
        let query = Query(
            filter: asked.filter,
            limit: Int(random.next() % 4),
            offset: Int(random.next() % 6),
            readableBy: asked.reader
        )
        let through = stores.count > 1 && chance(30) ? Array(stores.indices) : [pickStoreIndex()]
        note("\(why) in \(asked.collection) through \(through.map { $0 + 1 }): \(Self.describe(query))")
        for index in through {
            try await expectPage(query, in: asked.collection, through: index)
        }
    }

    // MARK: The oracle

    /// Fails unless the page of `query` through store `index` holds the entities and the total the
    /// ``Evaluator`` finds among the model's entities of `collection` readable by the query's reader.
    func expectPage(_ query: Query, in collection: CollectionPath, through index: Int) async throws {
        let store = stores[index]
        let through = label(index)
        let asked = "\(Self.describe(query)) in \(collection)\(through)"
        let page = try await perform("querying \(asked)") { try await store.query(query, in: collection) }
        let expected = recount(query, in: collection)
        guard page.total == expected.total else {
            throw failure(
                "total of \(asked): expected \(expected.total), "
                    + "the store returned \(page.total.map(String.init) ?? "nil")"
            )
        }
        try expectEqual(page.entities.map(\.id), expected.ids, context("ids of \(asked)"))
    }

    /// The ids of the page of `query` and its total, from the model.
    func recount(_ query: Query, in collection: CollectionPath) -> (ids: [String], total: Int) {
        let readable = (entities[collection] ?? [:]).values.filter { entity in
            guard let reader = query.readableBy else { return true }
            return entity.createdBy == reader || grants[collection]?[entity.id]?.contains(reader) == true
        }
        var unrestricted = query
        unrestricted.readableBy = nil
        let result = Evaluator.run(
            unrestricted,
            over: readable.map(\.document),
            searchFields: Self.searchFields(of: collection)
        )
        return (result.page.compactMap { $0["id"]?.stringValue }, result.total)
    }

    /// What a failure shows of a count's query: what the steps vary.
    static func describe(_ query: Query) -> String {
        "Query(filter: \(query.filter.map(String.init(describing:)) ?? "nil"), limit: \(query.limit), "
            + "offset: \(query.offset), readableBy: \(query.readableBy ?? "nil"))"
    }

    /// The search fields of `collection` (none declared: every top-level string).
    static func searchFields(of collection: CollectionPath) -> [String] {
        schema.collection(at: collection)?.searchFields ?? []
    }

    // MARK: Drawing

    mutating func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    /// `products` twice as often as each of the others.
    mutating func pickCollection() -> CollectionPath {
        pick([Self.collections[0]] + Self.collections)
    }

    /// The index of the store a step or a count goes through.
    mutating func pickStoreIndex() -> Int {
        Int(random.next() % UInt64(stores.count))
    }

    /// The store of a step, and how messages name it (nothing when there is one store).
    mutating func pickStore() -> (store: any EntityStore, through: String) {
        let index = pickStoreIndex()
        return (stores[index], label(index))
    }

    /// How messages name the store at `index`: nothing when there is one store.
    func label(_ index: Int) -> String {
        stores.count > 1 ? " through store \(index + 1)" : ""
    }

    /// The ids of the model's entities of `collection`, sorted (so the draws do not depend on the
    /// order of a dictionary).
    func ids(in collection: CollectionPath) -> [String] {
        (entities[collection] ?? [:]).keys.sorted()
    }

    mutating func pickEntity(in collection: CollectionPath) -> Entity? {
        let existing = ids(in: collection)
        guard !existing.isEmpty else { return nil }
        let id = pick(existing)
        return entities[collection]?[id]
    }

    /// A new entity of `collection` under the next id of that collection (`E0000`, `E0001`, …: the
    /// same ids in every collection).
    mutating func newEntity(in collection: CollectionPath) -> Entity {
        let number = drawnIDs[collection, default: 0]
        drawnIDs[collection] = number + 1
        var values: [String: JSON] = [:]
        values["status"] = status()
        values["price"] = price()
        if chance(70) { values["title"] = pick(Self.titles) }
        return entity(
            String(format: "E%04d", number),
            values,
            in: collection,
            createdMs: Int64(step),
            createdBy: pick(Self.creators)
        )
    }

    /// `current` with one field changed (possibly to the value it had, or a field no filter reads),
    /// one version later unless `version` is given, updated at this step.
    mutating func changed(_ current: Entity, version: Int64? = nil) -> Entity {
        var next = current
        switch random.next() % 4 {
        case 0: next.values["status"] = status()
        case 1: next.values["price"] = price()
        case 2: next.values["title"] = chance(80) ? pick(Self.titles) : nil
        default: next.values["note"] = .integer(Int64(step))
        }
        next.version = version ?? current.version + 1
        next.updatedAt = date(milliseconds: 1_700_000_000_000 + Int64(step))
        return next
    }

    /// A status, or `nil` (missing) now and then.
    mutating func status() -> JSON? {
        chance(85) ? pick(Self.statuses) : nil
    }

    /// A whole price from 0 to 99, a decimal one, `null`, or `nil` (missing).
    mutating func price() -> JSON? {
        let roll = random.next() % 100
        let whole = Int64(random.next() % 100)
        switch roll {
        case 0..<75: return .integer(whole)
        case 75..<85: return json("\(whole).5")
        case 85..<93: return .null
        default: return nil
        }
    }

    // MARK: Reporting

    mutating func note(_ description: String) {
        history.append("#\(step) \(description)")
    }

    /// `description` with the seed, the step, how to replay the run and the steps before.
    func context(_ description: String) -> String {
        let before = history.dropLast().suffix(4).joined(separator: "; ")
        return "seed \(seed), step #\(step) (replay: \(replay)): \(description)"
            + (before.isEmpty ? "" : " [steps before: \(before)]")
    }

    func failure(_ description: String, file: StaticString = #filePath, line: UInt = #line) -> ConformanceFailure {
        ConformanceFailure(message: context(description), file: file, line: line)
    }

    /// Runs one call of a step: an error the store throws fails the check, naming the step.
    @discardableResult
    func perform<T>(
        _ description: String,
        file: StaticString = #filePath,
        line: UInt = #line,
        _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch {
            throw failure(
                "\(description): the store threw \(ConformanceFailure.describe(error))",
                file: file,
                line: line
            )
        }
    }
}

import EntityQuery
import Foundation
import GRDB

extension SQLiteEntityStore {
    /// Settings of a ``SQLiteEntityStore``; every default is suitable for a server.
    ///
    /// ```swift
    /// var configuration = SQLiteEntityStore.Configuration()
    /// configuration.busyTimeout = 10
    /// let store = try SQLiteEntityStore(path: "data/entities.sqlite", configuration: configuration)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// How durable an acknowledged commit is.
        public enum Durability: String, Sendable, Hashable {
            /// `synchronous = NORMAL` in WAL mode: a commit survives a crash of the process; a power
            /// loss or OS crash may lose the last few commits, never corrupt the database.
            case normal
            /// `synchronous = FULL`: a commit also survives a power loss, at the cost of an fsync per commit.
            case full
        }

        /// Seconds a connection waits for a lock held by another process before the operation fails
        /// with ``StoreError/Code/unavailable``. Default: 5.
        public var busyTimeout: TimeInterval
        /// The most connections reading in parallel (file databases only). Default: 5.
        public var maximumReaderCount: Int
        /// Default: ``Durability/normal``.
        public var durability: Durability
        /// Page cache per connection, in KiB. Default: 16384 (16 MiB).
        public var cacheSizeKiB: Int
        /// The deepest JSON nesting accepted when reading stored values back. Default: 512.
        public var maximumJSONDepth: Int
        /// How many recently read entities are kept in memory for reads by id (0 turns the cache
        /// off). Every write through the store updates it, so it never serves stale data. Default: 10,000.
        public var entityCacheSize: Int
        /// The most bytes of stored JSON the entity cache holds; larger entities than an eighth of
        /// it are not cached. Default: 64 MiB.
        public var entityCacheBytes: Int
        /// Bytes of the database file read through a memory map (0 turns it off). Default: 0.
        ///
        /// A map saves readers a copy of each page, but every reader connection maps the file on its
        /// own and drops its map whenever the file changes size, faulting the pages in again. With
        /// writes going on among the reads (`Benchmarks/mixed.sh`: 10 % writes on 1,000,000 entities)
        /// the server answered 5,580 requests/s without a map and 4,300–4,560 with a 1 GiB one, for
        /// 3–5 % more when nothing writes.
        public var memoryMapSize: Int
        /// How many totals of filtered lists are kept exact per collection, write by write, instead of
        /// being counted again (least recently used first out). Each costs every write of its collection
        /// one term of a count over the written entities. Default: 32.
        public var keptTotalsPerCollection: Int

        public init(
            busyTimeout: TimeInterval = 5,
            maximumReaderCount: Int = 5,
            durability: Durability = .normal,
            cacheSizeKiB: Int = 16_384,
            maximumJSONDepth: Int = 512,
            entityCacheSize: Int = 10_000,
            entityCacheBytes: Int = 64 * 1024 * 1024,
            memoryMapSize: Int = 0,
            keptTotalsPerCollection: Int = 32
        ) {
            self.busyTimeout = busyTimeout
            self.maximumReaderCount = maximumReaderCount
            self.durability = durability
            self.cacheSizeKiB = cacheSizeKiB
            self.maximumJSONDepth = maximumJSONDepth
            self.entityCacheSize = entityCacheSize
            self.entityCacheBytes = entityCacheBytes
            self.memoryMapSize = memoryMapSize
            self.keptTotalsPerCollection = keptTotalsPerCollection
        }

        /// The GRDB configuration: pragmas and the SQL functions the query compiler relies on,
        /// set up on every connection.
        var database: GRDB.Configuration {
            var configuration = GRDB.Configuration()
            configuration.label = "SQLiteEntityStore"
            configuration.busyMode = .timeout(busyTimeout)
            configuration.maximumReaderCount = max(1, maximumReaderCount)
            configuration.foreignKeysEnabled = false
            let synchronous = durability == .full ? "FULL" : "NORMAL"
            let cacheSize = -max(1, cacheSizeKiB)
            let mmapSize = max(0, memoryMapSize)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
                try db.execute(sql: "PRAGMA cache_size = \(cacheSize)")
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                // Read pages through a memory map (when configured) instead of copying them.
                try db.execute(sql: "PRAGMA mmap_size = \(mmapSize)")
                // Checkpoint (copy the WAL into the database, with an fsync) every ~128 MiB of WAL
                // instead of every 4 MiB: bulk writes spend far less time in fsync.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 32768")
                db.add(function: SQLFunctions.lowercase)
                db.add(function: SQLFunctions.regexp)
                db.add(function: SQLFunctions.instant)
                for function in SQLFunctions.expressions { db.add(function: function) }
            }
            return configuration
        }
    }
}

/// SQL functions registered on every connection.
enum SQLFunctions {
    /// `entityhub_lower(text)`: Unicode lowercasing (SQLite's `lower` only folds ASCII), used by
    /// case-insensitive patterns. `NULL` for anything that is not text.
    static let lowercase = DatabaseFunction("entityhub_lower", argumentCount: 1, pure: true) { values in
        guard case .string(let text) = values[0].storage else { return nil }
        return text.lowercased()
    }
}

extension SQLFunctions {
    /// `entityhub_regexp(pattern, text)`: whether the POSIX ERE `pattern` finds a match in `text`, by
    /// ``Evaluator/regexFinds(_:in:)`` (which caches compiled patterns); `NULL` when `text` is not text.
    static let regexp = DatabaseFunction("entityhub_regexp", argumentCount: 2, pure: true) { values in
        guard case .string(let pattern) = values[0].storage, case .string(let text) = values[1].storage else {
            return nil
        }
        return Evaluator.regexFinds(pattern, in: text)
    }

    /// `entityhub_instant(text)`: the ``ISO8601Instant/orderKey`` of a date-time string, whose text
    /// order is time order; `NULL` for anything else.
    static let instant = DatabaseFunction("entityhub_instant", argumentCount: 1, pure: true) { values in
        guard case .string(let text) = values[0].storage else { return nil }
        return ISO8601Instant(text)?.orderKey
    }
}

import Crypto
import Foundation

/// Files of the replica's file folder, read and written a chunk at a time (never whole in memory).
enum LocalFile {
    static let chunkSize = 1 << 20

    /// The SHA-256 (lowercase hex) and size of the file at `url`.
    static func digest(of url: URL) throws -> (sha256: String, size: Int64) {
        try copy(url, to: nil)
    }

    /// Copies the file at `source` to `target` (when given) while hashing it; returns its SHA-256 and size.
    @discardableResult
    static func copy(_ source: URL, to target: URL?) throws -> (sha256: String, size: Int64) {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        var output: FileHandle?
        if let target {
            guard FileManager.default.createFile(atPath: target.path, contents: nil) else {
                throw SyncClientError("cannot write \(target.lastPathComponent) in the replica's file folder")
            }
            output = try FileHandle(forWritingTo: target)
        }
        defer { try? output?.close() }
        var hash = SHA256()
        var size: Int64 = 0
        while let chunk = try input.read(upToCount: chunkSize), !chunk.isEmpty {
            hash.update(data: chunk)
            try output?.write(contentsOf: chunk)
            size += Int64(chunk.count)
        }
        try output?.synchronize()
        return (hex(hash.finalize()), size)
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }

    /// The size of the file at `url`, or `nil` when there is none.
    static func size(of url: URL) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
    }

    /// Moves `source` to `target`, unless `target` is there already (same digest, same bytes).
    static func publish(_ source: URL, as target: URL) throws {
        if exists(target) {
            try? FileManager.default.removeItem(at: source)
        } else {
            try FileManager.default.moveItem(at: source, to: target)
        }
    }
}

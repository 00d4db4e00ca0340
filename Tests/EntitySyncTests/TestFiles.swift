import Crypto
import Foundation

/// Files for the file tests: pseudo-random bytes written to disk a chunk at a time, and their SHA-256
/// read back the same way (no file is ever whole in memory).
enum TestFiles {
    static let chunkSize = 1 << 20

    /// Writes `size` pseudo-random bytes (from `seed`) to `url`; returns their SHA-256.
    @discardableResult
    static func random(size: Int64, seed: UInt64, at url: URL) throws -> String {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var state = seed | 1
        var hash = SHA256()
        var written: Int64 = 0
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while written < size {
            let count = Int(min(Int64(chunkSize), size - written))
            chunk.withUnsafeMutableBytes { bytes in
                for index in stride(from: 0, to: count, by: 8) {
                    // xorshift64: fast, and enough to defeat any compression on the way.
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                    var word = state
                    for offset in index..<min(index + 8, count) {
                        bytes[offset] = UInt8(truncatingIfNeeded: word)
                        word >>= 8
                    }
                }
            }
            let data = Data(chunk[0..<count])
            hash.update(data: data)
            try handle.write(contentsOf: data)
            written += Int64(count)
        }
        return hex(hash.finalize())
    }

    /// The SHA-256 of the file at `url`.
    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hash = SHA256()
        while let data = try handle.read(upToCount: chunkSize), !data.isEmpty { hash.update(data: data) }
        return hex(hash.finalize())
    }

    /// Writes the first `count` bytes of `source` to `target`.
    static func prefix(_ count: Int64, of source: URL, to target: URL) throws {
        guard FileManager.default.createFile(atPath: target.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let input = try FileHandle(forReadingFrom: source)
        let output = try FileHandle(forWritingTo: target)
        defer {
            try? input.close()
            try? output.close()
        }
        var copied: Int64 = 0
        while copied < count, let data = try input.read(upToCount: Int(min(Int64(chunkSize), count - copied))),
            !data.isEmpty
        {
            try output.write(contentsOf: data)
            copied += Int64(data.count)
        }
    }

    static func size(of url: URL) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

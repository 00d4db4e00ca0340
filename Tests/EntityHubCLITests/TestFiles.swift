import EntityModel
import Foundation

@testable import EntityHubCLI

/// A file in the temporary directory, removed when the value is released.
final class TemporaryFile: Sendable {
    let path: String

    init(_ contents: [UInt8], suffix: String = ".txt") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("entityhub-\(UUID())\(suffix)").path
        try Data(contents).write(to: URL(fileURLWithPath: path))
    }

    convenience init(_ text: String, suffix: String = ".txt") throws {
        try self.init(Array(text.utf8), suffix: suffix)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Every record `reader` yields, until the end of the input.
func readAll(_ reader: inout some RecordReader) throws(TransferError) -> [InputRecord] {
    var records: [InputRecord] = []
    while let record = try reader.next() { records.append(record) }
    return records
}

/// The records of `text` read as `format`, with the input cut into chunks of `chunkSize` bytes.
func records(_ text: String, as format: InputFormat, chunkSize: Int = 64 * 1024) throws(TransferError)
    -> [InputRecord]
{
    var reader = AnyRecordReader(input: ByteInput(bytes: Array(text.utf8), chunkSize: chunkSize), format: format)
    return try readAll(&reader)
}

/// A reproducible pseudo-random generator (SplitMix64), for generated test data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

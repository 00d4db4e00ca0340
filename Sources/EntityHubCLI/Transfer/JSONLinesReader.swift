#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads JSON Lines (`.jsonl`, `.ndjson`): one JSON object per line.
///
/// Blank lines are skipped; `\r\n` line ends are accepted. A line that is not valid JSON, or is valid
/// JSON but not an object, is returned as ``InputRecord/malformed(line:reason:)`` and reading continues
/// with the next line.
///
/// ```swift
/// var reader = JSONLinesReader(input: try ByteInput(path: "products.jsonl"))
/// while let record = try reader.next() { … }   // .record(line: 1, value: {...}), .malformed(line: 2, …)
/// ```
struct JSONLinesReader: RecordReader, Sendable {
    private var window: ByteWindow
    /// The index in the window of the first byte of the next line.
    private var lineStart = 0
    /// The index in the window from which to look for the next line feed.
    private var searchFrom = 0
    /// The number of the last line cut.
    private var lineNumber = 0
    /// The deepest nesting accepted in a record.
    let maximumDepth: Int

    /// A reader of `input`; lines longer than `maximumRecordSize` bytes stop the reading with an error.
    init(
        input: ByteInput,
        maximumRecordSize: Int = ByteWindow.defaultMaximumRecordSize,
        maximumDepth: Int = 64
    ) {
        window = ByteWindow(input: input, maximumRecordSize: maximumRecordSize)
        self.maximumDepth = maximumDepth
    }

    var bytesRead: Int { window.input.bytesRead }

    var totalBytes: Int? { window.input.totalBytes }

    /// The next non-blank line as a record, or `nil` at the end of the input.
    mutating func next() throws(TransferError) -> InputRecord? {
        while let range = try nextLine() {
            lineNumber += 1
            var end = range.upperBound
            if end > range.lowerBound && window.bytes[end - 1] == 0x0D { end -= 1 }
            let bytes = window.bytes[range.lowerBound..<end]
            if bytes.allSatisfy(ByteInput.isWhitespace) { continue }
            return InputRecord.parsing(bytes, line: lineNumber, maximumDepth: maximumDepth)
        }
        return nil
    }

    /// The window range of the next line (without its line feed), reading more input as needed.
    private mutating func nextLine() throws(TransferError) -> Range<Int>? {
        while true {
            if let newline = Self.index(of: 0x0A, in: window.bytes, from: searchFrom) {
                let range = lineStart..<newline
                lineStart = newline + 1
                searchFrom = lineStart
                return range
            }
            let shift = window.discard(before: lineStart)
            lineStart -= shift
            searchFrom = window.bytes.count
            guard try window.readMore(recordLine: lineNumber + 1) else {
                guard lineStart < window.bytes.count else { return nil }
                let range = lineStart..<window.bytes.count
                lineStart = window.bytes.count
                searchFrom = lineStart
                return range
            }
        }
    }

    /// The index of the first `byte` in `bytes` at or after `start` (found with `memchr`).
    private static func index(of byte: UInt8, in bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress else { return nil }
            guard let found = memchr(base + start, Int32(byte), raw.count - start) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }
}

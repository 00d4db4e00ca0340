/// A sliding window over a ``ByteInput``: the bytes of the record being cut plus what has been read
/// after it. The readers scan ``bytes`` and ask for more with ``refill(keepingFrom:recordLine:)``, which
/// drops everything before the current record, so memory stays bounded by the largest record.
///
/// A UTF-8 byte order mark at the very start of the input is skipped.
struct ByteWindow: Sendable {
    /// The largest record accepted by default: 64 MiB.
    static let defaultMaximumRecordSize = 64 * 1024 * 1024

    /// The input being read.
    private(set) var input: ByteInput
    /// The bytes in the window.
    private(set) var bytes: [UInt8] = []
    /// The offset in the input of `bytes[0]`.
    private(set) var baseOffset = 0
    /// The largest record (in bytes) that may be held in the window.
    let maximumRecordSize: Int
    private var checkedByteOrderMark = false

    /// A window over `input` that refuses records larger than `maximumRecordSize` bytes.
    init(input: ByteInput, maximumRecordSize: Int = defaultMaximumRecordSize) {
        self.input = input
        self.maximumRecordSize = maximumRecordSize
        bytes.reserveCapacity(input.chunkSize * 2)
    }

    /// Whether everything has been read from the input (the window may still hold bytes).
    var inputIsExhausted: Bool { input.isAtEnd }

    /// Drops the bytes before `index` (those of records already returned).
    ///
    /// - Returns: How many bytes were dropped: indices into ``bytes`` held by the caller must be reduced
    ///   by this amount.
    mutating func discard(before index: Int) -> Int {
        let dropped = min(max(0, index), bytes.count)
        if dropped > 0 {
            bytes.removeSubrange(0..<dropped)
            baseOffset += dropped
        }
        return dropped
    }

    /// Appends the next chunk of the input to ``bytes``.
    ///
    /// - Parameter recordLine: The line of the record being cut, for the error when it grows too large.
    /// - Returns: `false` at the end of the input (nothing was appended).
    /// - Throws: ``TransferError`` on read errors, and when the window already holds more than
    ///   ``maximumRecordSize`` bytes (call ``discard(before:)`` first).
    mutating func readMore(recordLine: Int) throws(TransferError) -> Bool {
        if bytes.count > maximumRecordSize {
            throw .recordTooLarge(limit: maximumRecordSize, source: input.name, line: recordLine)
        }
        let before = bytes.count
        while bytes.count == before || (!checkedByteOrderMark && bytes.count < 3) {
            guard try input.read(appendingTo: &bytes) > 0 else { break }
            if !checkedByteOrderMark && bytes.count >= 3 {
                checkedByteOrderMark = true
                if before == 0 && baseOffset == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                    bytes.removeFirst(3)
                    baseOffset = 3
                }
            }
        }
        checkedByteOrderMark = true
        return bytes.count > before
    }
}

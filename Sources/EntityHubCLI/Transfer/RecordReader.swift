/// A source of ``InputRecord``s read from a byte stream, one at a time, in bounded memory.
///
/// ```swift
/// var reader = try RecordReaders.open(path: "products.jsonl", format: nil, delimiter: UInt8(ascii: ","))
/// while let record = try reader.next() { … }
/// print(reader.bytesRead, reader.totalBytes ?? -1)
/// ```
protocol RecordReader {
    /// The next record, or `nil` at the end of the input.
    ///
    /// Throws only when the input cannot be read any further (I/O errors, a broken document structure);
    /// records that are merely wrong are returned as ``InputRecord/malformed(line:reason:)``.
    mutating func next() throws(TransferError) -> InputRecord?

    /// The number of bytes read from the input so far.
    var bytesRead: Int { get }

    /// The size of the input when it is a regular file, for progress and ETA; `nil` for pipes.
    var totalBytes: Int? { get }
}

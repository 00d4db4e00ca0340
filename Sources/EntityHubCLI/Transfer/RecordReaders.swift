/// Opens inputs as ``RecordReader``s of the right format.
///
/// ```swift
/// var reader = try RecordReaders.open(path: "orders.csv", format: nil, delimiter: UInt8(ascii: ";"))
/// reader.format   // .csv
/// ```
enum RecordReaders {
    /// Opens `path` (`-` for standard input) and reads it as `format`, or as the format
    /// ``InputFormat/detect(path:firstByte:)`` finds when `format` is `nil`.
    ///
    /// - Parameter delimiter: The CSV field separator.
    /// - Throws: ``TransferError`` when the input cannot be opened or read.
    static func open(
        path: String,
        format: InputFormat?,
        delimiter: UInt8 = UInt8(ascii: ","),
        chunkSize: Int = ByteInput.defaultChunkSize
    ) throws(TransferError) -> AnyRecordReader {
        try reader(for: ByteInput(path: path, chunkSize: chunkSize), path: path, format: format, delimiter: delimiter)
    }

    /// Reads `input` as `format`, or as the detected format (from `path`'s extension and the first byte).
    static func reader(
        for input: ByteInput,
        path: String,
        format: InputFormat?,
        delimiter: UInt8 = UInt8(ascii: ",")
    ) throws(TransferError) -> AnyRecordReader {
        if let format { return AnyRecordReader(input: input, format: format, delimiter: delimiter) }
        var input = input
        let detected = InputFormat.detect(path: path, firstByte: try input.firstNonWhitespaceByte())
        return AnyRecordReader(input: input, format: detected, delimiter: delimiter)
    }
}

/// A ``RecordReader`` for any ``InputFormat``, chosen when the input is opened.
struct AnyRecordReader: RecordReader, Sendable {
    /// The format being read.
    let format: InputFormat
    // Exactly one is set; optional chaining lets `next()` mutate it in place (no copy of its buffer).
    private var jsonLines: JSONLinesReader?
    private var jsonArray: JSONArrayReader?
    private var csv: CSVReader?

    /// A reader of `input` as `format`; `delimiter` is the CSV field separator.
    init(input: ByteInput, format: InputFormat, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.format = format
        switch format {
        case .jsonl: jsonLines = JSONLinesReader(input: input)
        case .json: jsonArray = JSONArrayReader(input: input)
        case .csv: csv = CSVReader(input: input, delimiter: delimiter)
        }
    }

    /// The next record of the input, read in its format; `nil` at the end.
    mutating func next() throws(TransferError) -> InputRecord? {
        switch format {
        case .jsonl: return try jsonLines?.next() ?? nil
        case .json: return try jsonArray?.next() ?? nil
        case .csv: return try csv?.next() ?? nil
        }
    }

    var bytesRead: Int { jsonLines?.bytesRead ?? jsonArray?.bytesRead ?? csv?.bytesRead ?? 0 }

    var totalBytes: Int? { jsonLines?.totalBytes ?? jsonArray?.totalBytes ?? csv?.totalBytes }
}

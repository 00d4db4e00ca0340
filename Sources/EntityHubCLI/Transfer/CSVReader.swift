import EntityModel

/// Reads CSV (RFC 4180) as records: the first row is the header, every other row becomes a JSON object
/// through ``CSVValueConverter``.
///
/// Fields are separated by ``delimiter`` (a comma unless told otherwise); quoted fields may hold the
/// delimiter, newlines and `""` for a quote. Rows end with `\n` or `\r\n`; blank lines are skipped, and a
/// UTF-8 byte order mark at the start is ignored. A record's line is the line where its row starts. A row
/// with a different number of fields than the header is returned as malformed ("expected 3 fields,
/// found 4"); a quoted field that never closes throws.
///
/// ```swift
/// var reader = CSVReader(input: try ByteInput(path: "orders.csv"))
/// while let record = try reader.next() { … }
/// ```
struct CSVReader: RecordReader, Sendable {
    private enum State: Sendable {
        case fieldStart, unquoted, quoted, afterQuote
    }

    /// The field separator.
    let delimiter: UInt8
    private var window: ByteWindow
    private var converter: CSVValueConverter?
    /// The window index of the next byte to read.
    private var index = 0
    /// The line of the byte at `index`, and the input offset where that line starts.
    private var line = 1
    private var lineStartOffset = 0
    // The row being read.
    private var state = State.fieldStart
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var rowStarted = false
    private var rowLine = 1
    private var rowSize = 0
    private var rowHasQuotes = false
    private var quoteLine = 1
    private var quoteColumn = 1

    /// A reader of `input` with the given field separator; rows larger than `maximumRecordSize` bytes stop
    /// the reading with an error.
    init(
        input: ByteInput,
        delimiter: UInt8 = UInt8(ascii: ","),
        maximumRecordSize: Int = ByteWindow.defaultMaximumRecordSize
    ) {
        self.delimiter = delimiter
        window = ByteWindow(input: input, maximumRecordSize: maximumRecordSize)
    }

    var bytesRead: Int { window.input.bytesRead }

    var totalBytes: Int? { window.input.totalBytes }

    /// The header names, once the header row has been read.
    var header: [String]? { converter?.header }

    /// The next row as a record, or `nil` at the end of the input.
    ///
    /// - Throws: ``TransferError`` for an unterminated quoted field or an unusable header.
    mutating func next() throws(TransferError) -> InputRecord? {
        if converter == nil {
            guard let header = try nextRow() else { return nil }
            converter = try CSVValueConverter(header: header.fields, source: window.input.name, line: header.line)
        }
        guard let row = try nextRow(), let converter else { return nil }
        guard row.fields.count == converter.header.count else {
            let expected = converter.header.count
            let reason = "expected \(expected) field\(expected == 1 ? "" : "s"), found \(row.fields.count)"
            return .malformed(line: row.line, reason: reason)
        }
        return .record(line: row.line, value: converter.object(from: row.fields))
    }

    /// The next non-blank row's fields and the line it starts on, or `nil` at the end of the input.
    mutating func nextRow() throws(TransferError) -> (line: Int, fields: [String])? {
        while true {
            if index == window.bytes.count {
                index -= window.discard(before: index)
                guard try window.readMore(recordLine: rowLine) else { return try endOfInput() }
            }
            let byte = window.bytes[index]
            if !rowStarted {
                rowStarted = true
                rowLine = line
            }
            if state == .quoted && byte == UInt8(ascii: "\"") {
                state = .afterQuote
            } else if state == .quoted || (state == .unquoted && byte != delimiter && byte != 0x0A) {
                field.append(byte)
            } else if take(byte) {
                advance(byte)
                if let row = finishRow() { return row }
                continue
            }
            advance(byte)
            rowSize += 1
            if rowSize > window.maximumRecordSize {
                throw .recordTooLarge(limit: window.maximumRecordSize, source: window.input.name, line: rowLine)
            }
        }
    }

    /// Handles `byte` at the start of a field or after a closing quote.
    ///
    /// - Returns: Whether `byte` ends the row.
    private mutating func take(_ byte: UInt8) -> Bool {
        switch byte {
        case delimiter:
            endField()
        case 0x0A:
            endField()
            return true
        case UInt8(ascii: "\"") where state == .fieldStart:
            state = .quoted
            rowHasQuotes = true
            quoteLine = line
            quoteColumn = window.baseOffset + index - lineStartOffset + 1
        case 0x0D where state == .afterQuote:
            break  // the CR of a CRLF after a closing quote
        case UInt8(ascii: "\"") where state == .afterQuote:
            field.append(byte)
            state = .quoted
        default:
            field.append(byte)  // text after a closing quote is kept, as most CSV readers do
            state = .unquoted
        }
        return false
    }

    /// Moves past `byte`, counting lines.
    private mutating func advance(_ byte: UInt8) {
        if byte == 0x0A {
            line += 1
            lineStartOffset = window.baseOffset + index + 1
        }
        index += 1
    }

    /// Adds the field read so far to the row (without the CR of a CRLF when it was not quoted).
    private mutating func endField() {
        if state == .unquoted && field.last == 0x0D { field.removeLast() }
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    /// Returns the row read so far (`nil` when it was a blank line) and starts a new one.
    private mutating func finishRow() -> (line: Int, fields: [String])? {
        let row = (line: rowLine, fields: fields)
        let isBlank = fields == [""] && !rowHasQuotes
        fields = []
        fields.reserveCapacity(row.fields.count)
        rowStarted = false
        rowHasQuotes = false
        rowSize = 0
        return isBlank ? nil : row
    }

    /// The last row when the input does not end with a newline; throws for an open quoted field.
    private mutating func endOfInput() throws(TransferError) -> (line: Int, fields: [String])? {
        if state == .quoted {
            throw .unterminatedQuotedField(source: window.input.name, line: quoteLine, column: quoteColumn)
        }
        guard rowStarted else { return nil }
        endField()
        return finishRow()
    }
}

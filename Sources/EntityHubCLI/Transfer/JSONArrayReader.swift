/// Streams the elements of one top-level JSON array (`[ {...}, {...} ]`) without holding the document.
///
/// The bytes are scanned for the end of each top-level element (tracking strings, escapes and nesting),
/// and only that element is parsed. An element that is not an object, or not valid JSON, is returned as
/// ``InputRecord/malformed(line:reason:)`` with the line where it starts; reading continues. A document
/// that is not an array, is not closed, or has content after the array throws a ``TransferError``.
///
/// ```swift
/// var reader = JSONArrayReader(input: try ByteInput(path: "products.json"))
/// while let record = try reader.next() { … }
/// ```
struct JSONArrayReader: RecordReader, Sendable {
    private enum Phase: Sendable {
        case start, beforeElement, inElement, afterArray, finished
    }

    private var window: ByteWindow
    private var phase = Phase.start
    /// The window index of the next byte to scan.
    private var index = 0
    /// The line of the byte at `index`, and the input offset where that line starts.
    private var line = 1
    private var lineStartOffset = 0
    /// Whether the last thing seen at the top level of the array was a comma.
    private var afterComma = false
    /// The current element: where it starts, and the scanner's state inside it.
    private var elementStart = 0
    private var elementLine = 1
    private var elementColumn = 1
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// The deepest nesting accepted in an element.
    let maximumDepth: Int

    /// A reader of `input`; elements larger than `maximumRecordSize` bytes stop the reading with an error.
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

    /// The next element of the array as a record, or `nil` after the closing `]`.
    ///
    /// - Throws: ``TransferError`` when the document is not one JSON array.
    mutating func next() throws(TransferError) -> InputRecord? {
        while true {
            switch phase {
            case .start:
                guard let byte = try nextNonWhitespaceByte() else {
                    throw documentError("expected a JSON array, found the end of the input")
                }
                guard byte == UInt8(ascii: "[") else {
                    throw documentError("expected '[' to start a JSON array, found \(Self.quoted(byte))")
                }
                advance()
                phase = .beforeElement
            case .beforeElement:
                if let record = try startElement() { return record }
            case .inElement:
                return try finishElement()
            case .afterArray:
                if let byte = try nextNonWhitespaceByte() {
                    throw documentError("unexpected \(Self.quoted(byte)) after the end of the JSON array")
                }
                phase = .finished
            case .finished:
                return nil
            }
        }
    }

    /// Starts the next element, or handles `]` and empty elements (which are returned as malformed).
    private mutating func startElement() throws(TransferError) -> InputRecord? {
        guard let byte = try nextNonWhitespaceByte() else {
            throw documentError("unexpected end of the input: the JSON array is not closed")
        }
        switch byte {
        case UInt8(ascii: "]"):
            advance()
            phase = .afterArray
            if afterComma { return .malformed(line: line, reason: "not valid JSON: missing value before ']'") }
        case UInt8(ascii: ","):
            let record = InputRecord.malformed(line: line, reason: "not valid JSON: missing value before ','")
            advance()
            afterComma = true
            return record
        default:
            elementStart = index
            elementLine = line
            elementColumn = column
            depth = 0
            inString = false
            escaped = false
            phase = .inElement
        }
        return nil
    }

    /// Scans to the `,` or `]` that ends the current element and parses the element.
    private mutating func finishElement() throws(TransferError) -> InputRecord {
        while true {
            if index == window.bytes.count {
                guard try readMore(keepingFrom: elementStart, recordLine: elementLine) else {
                    let place = inString ? "inside a string" : "inside an element"
                    throw documentError("unexpected end of the input \(place): the JSON array is not closed")
                }
            }
            if let terminator = scanElement() {
                var end = index
                while end > elementStart && ByteInput.isWhitespace(window.bytes[end - 1]) { end -= 1 }
                let record = InputRecord.parsing(
                    window.bytes[elementStart..<end],
                    line: elementLine,
                    column: elementColumn,
                    showsLine: true,
                    maximumDepth: maximumDepth
                )
                advance()
                afterComma = terminator == UInt8(ascii: ",")
                phase = afterComma ? .beforeElement : .afterArray
                return record
            }
        }
    }

    /// Scans the window from `index` for the top-level `,` or `]` that ends the element.
    ///
    /// - Returns: The terminator (with `index` on it), or `nil` with `index` at the end of the window.
    private mutating func scanElement() -> UInt8? {
        var state = (position: index, line: line, lineStart: lineStartOffset - window.baseOffset)
        var (depth, inString, escaped) = (self.depth, self.inString, self.escaped)
        var found: UInt8?
        window.bytes.withUnsafeBufferPointer { bytes in
            while state.position < bytes.count {
                let byte = bytes[state.position]
                if byte == 0x0A {
                    state.line += 1
                    state.lineStart = state.position + 1
                } else if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                } else {
                    switch byte {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"): depth = max(0, depth - 1)
                    case UInt8(ascii: "]") where depth > 0: depth -= 1
                    case UInt8(ascii: "]"), UInt8(ascii: ","):
                        if depth == 0 {
                            found = byte
                            return
                        }
                    default: break
                    }
                }
                state.position += 1
            }
        }
        (index, line, lineStartOffset) = (state.position, state.line, window.baseOffset + state.lineStart)
        (self.depth, self.inString, self.escaped) = (depth, inString, escaped)
        return found
    }

    /// Skips whitespace (counting lines) and returns the byte at `index` without consuming it.
    private mutating func nextNonWhitespaceByte() throws(TransferError) -> UInt8? {
        while true {
            if index == window.bytes.count {
                guard try readMore(keepingFrom: index, recordLine: line) else { return nil }
            }
            let byte = window.bytes[index]
            guard ByteInput.isWhitespace(byte) else { return byte }
            advance()
        }
    }

    /// Moves past the byte at `index`, counting lines.
    private mutating func advance() {
        if window.bytes[index] == 0x0A {
            line += 1
            lineStartOffset = window.baseOffset + index + 1
        }
        index += 1
    }

    /// Drops the bytes before `start`, then reads more input; `false` at the end of the input.
    private mutating func readMore(keepingFrom start: Int, recordLine: Int) throws(TransferError) -> Bool {
        let shift = window.discard(before: start)
        index -= shift
        elementStart -= min(shift, elementStart)
        return try window.readMore(recordLine: recordLine)
    }

    /// The 1-based column of the byte at `index`.
    private var column: Int { window.baseOffset + index - lineStartOffset + 1 }

    private func documentError(_ message: String) -> TransferError {
        .invalidDocument(message, source: window.input.name, line: line, column: column)
    }

    /// `byte` for a message: `'x'` for printable ASCII, otherwise its hexadecimal value.
    static func quoted(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}

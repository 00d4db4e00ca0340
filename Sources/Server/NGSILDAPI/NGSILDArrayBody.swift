import EntityModel
import Hummingbird
import NIOCore

/// Reads a batch body (one JSON array) as it arrives: each top-level element is cut out of the
/// stream and parsed on its own, so the body is never held whole (§6).
///
/// Errors: not an array, invalid JSON or a truncated body → 400 InvalidRequest naming the item;
/// more than `maximumItems` elements → 413; more than `maximumBodySize` bytes → 413.
struct NGSILDArrayBody {
    let maximumItems: Int
    let maximumBodySize: Int
    let maximumDepth: Int

    func items(of body: RequestBody) async throws(NGSILDProblem) -> [JSON] {
        var splitter = ArraySplitter()
        var items: [JSON] = []
        var received = 0
        do {
            for try await buffer in body {
                received += buffer.readableBytes
                guard received <= maximumBodySize else {
                    throw NGSILDProblem(
                        .contentTooLarge,
                        "the request body is larger than the limit of \(maximumBodySize) bytes"
                    )
                }
                try splitter.feed(buffer.readableBytesView) { element throws(NGSILDProblem) in
                    guard items.count < maximumItems else {
                        throw NGSILDProblem(
                            .contentTooLarge,
                            "a batch may hold at most \(maximumItems) entities (--max-batch-size)"
                        )
                    }
                    do throws(JSONParsingError) {
                        items.append(try JSONParser(maximumDepth: maximumDepth).parse(element))
                    } catch {
                        throw NGSILDProblem(.invalidRequest, "item \(items.count): \(error.description)")
                    }
                }
            }
        } catch let problem as NGSILDProblem {
            throw problem
        } catch {
            throw NGSILDProblem(.invalidRequest, "the request body could not be read")
        }
        try splitter.finish()
        return items
    }
}

/// Finds the top-level elements of a JSON array in a byte stream, tracking strings, escapes and
/// nesting; each element's bytes are handed over once complete.
private struct ArraySplitter {
    private enum Phase { case start, beforeElement, inElement, afterElement, done }

    private var phase = Phase.start
    private var element: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var sawComma = false
    private var offset = 0

    mutating func feed(
        _ bytes: some Collection<UInt8>,
        element handle: (ArraySlice<UInt8>) throws(NGSILDProblem) -> Void
    ) throws(NGSILDProblem) {
        for byte in bytes {
            offset += 1
            switch phase {
            case .start:
                if Self.isWhitespace(byte) { continue }
                guard byte == UInt8(ascii: "[") else {
                    throw NGSILDProblem(.invalidRequest, "the body must be a JSON array of entities")
                }
                phase = .beforeElement
            case .beforeElement, .afterElement:
                if Self.isWhitespace(byte) { continue }
                if byte == UInt8(ascii: "]") {
                    if phase == .beforeElement, sawComma {
                        throw NGSILDProblem(.invalidRequest, "expected a value before ']' at byte \(offset)")
                    }
                    phase = .done
                } else if byte == UInt8(ascii: ",") {
                    guard phase == .afterElement else {
                        throw NGSILDProblem(.invalidRequest, "unexpected ',' at byte \(offset)")
                    }
                    phase = .beforeElement
                    sawComma = true
                } else {
                    guard phase == .beforeElement else {
                        throw NGSILDProblem(.invalidRequest, "expected ',' or ']' at byte \(offset)")
                    }
                    phase = .inElement
                    try scan(byte, handle: handle)
                }
            case .inElement:
                try scan(byte, handle: handle)
            case .done:
                guard Self.isWhitespace(byte) else {
                    throw NGSILDProblem(.invalidRequest, "unexpected content after the JSON array at byte \(offset)")
                }
            }
        }
    }

    /// Adds one byte of an element; a scalar element ends at the byte that cannot belong to it.
    private mutating func scan(
        _ byte: UInt8,
        handle: (ArraySlice<UInt8>) throws(NGSILDProblem) -> Void
    ) throws(NGSILDProblem) {
        if inString {
            element.append(byte)
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
                if depth == 0 { try complete(handle) }
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            element.append(byte)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            element.append(byte)
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            if depth == 0 {
                // The end of the array right after a scalar element.
                try complete(handle)
                phase = .done
                return
            }
            depth -= 1
            element.append(byte)
            if depth == 0 { try complete(handle) }
        case UInt8(ascii: ","):
            if depth == 0 {
                try complete(handle)
                phase = .beforeElement
                sawComma = true
            } else {
                element.append(byte)
            }
        default:
            if depth == 0, Self.isWhitespace(byte) {
                try complete(handle)
            } else {
                element.append(byte)
            }
        }
    }

    private mutating func complete(_ handle: (ArraySlice<UInt8>) throws(NGSILDProblem) -> Void) throws(NGSILDProblem) {
        try handle(element[...])
        element.removeAll(keepingCapacity: true)
        phase = .afterElement
        sawComma = false
    }

    func finish() throws(NGSILDProblem) {
        switch phase {
        case .done: return
        case .start: throw NGSILDProblem(.invalidRequest, "the body must be a JSON array of entities")
        default: throw NGSILDProblem(.invalidRequest, "the JSON array of the body is not closed")
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

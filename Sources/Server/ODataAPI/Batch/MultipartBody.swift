import Foundation

/// The parts of a `multipart/mixed` body (RFC 2046): each part's header lines and body bytes.
///
/// Lenient as OData clients need: the preamble and epilogue are ignored, lines may end in LF alone,
/// and parts need no `Content-Length`.
struct MultipartBody: Sendable {
    struct Part: Sendable {
        /// Header fields with lower-cased names, in order.
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name == name }?.value
        }
    }

    var parts: [Part]

    /// Splits `bytes` at the `--boundary` lines; throws when no delimiter or no closing one is found.
    init(_ bytes: [UInt8], boundary: String) throws(ODataError) {
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [(index: Int, isClose: Bool, contentStart: Int)] = []
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            if Self.hasPrefix(bytes, at: lineStart, delimiter) {
                let after = lineStart + delimiter.count
                let isClose = Self.hasPrefix(bytes, at: after, Array("--".utf8))
                var rest = isClose ? after + 2 : after
                while rest < lineEnd,
                    bytes[rest] == UInt8(ascii: " ") || bytes[rest] == UInt8(ascii: "\t")
                        || bytes[rest] == UInt8(ascii: "\r")
                {
                    rest += 1
                }
                if rest == lineEnd {
                    starts.append((lineStart, isClose, min(lineEnd + 1, bytes.count)))
                    if isClose { break }
                }
            }
            lineStart = lineEnd + 1
        }
        guard !starts.isEmpty else {
            throw ODataError(
                .badRequest,
                "the batch body has no part: no line '--\(boundary)' was found",
                target: "$batch"
            )
        }
        guard starts.last?.isClose == true else {
            throw ODataError(
                .badRequest,
                "the batch body ends without its closing line '--\(boundary)--' (truncated?)",
                target: "$batch"
            )
        }
        var parts: [Part] = []
        for (current, next) in zip(starts, starts.dropFirst()) {
            var end = next.index
            // The line break before a delimiter belongs to the delimiter.
            if end > current.contentStart, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
            if end > current.contentStart, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            parts.append(try Self.part(Array(bytes[current.contentStart..<max(end, current.contentStart)])))
        }
        self.parts = parts
    }

    /// The boundary parameter of a `multipart/mixed` media type.
    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else {
                continue
            }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            let unquoted =
                value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2
                ? String(value.dropFirst().dropLast()) : value
            return unquoted.isEmpty ? nil : unquoted
        }
        return nil
    }

    /// Header lines up to the first empty line, then the body; from byte `start` on.
    static func part(_ bytes: [UInt8], from start: Int = 0) throws(ODataError) -> Part {
        var headers: [(String, String)] = []
        var index = start
        while index < bytes.count {
            let lineEnd = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = trimmed(bytes, index..<lineEnd)
            index = lineEnd + 1
            if line.isEmpty { break }
            guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else {
                throw ODataError(.badRequest, "batch part header '\(string(bytes, line))' has no ':'", target: "$batch")
            }
            headers.append(
                (
                    string(bytes, trimmed(bytes, line.lowerBound..<colon)).lowercased(),
                    string(bytes, trimmed(bytes, colon + 1..<line.upperBound))
                )
            )
        }
        return Part(headers: headers, body: index < bytes.count ? Array(bytes[index...]) : [])
    }

    /// `range` without the spaces, tabs and line ends at either end.
    static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\n")
        }
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// The UTF-8 text of `bytes[range]` (decoded from contiguous memory: the fast path).
    static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    private static func hasPrefix(_ bytes: [UInt8], at index: Int, _ prefix: [UInt8]) -> Bool {
        guard index + prefix.count <= bytes.count else { return false }
        for offset in 0..<prefix.count where bytes[index + offset] != prefix[offset] { return false }
        return true
    }
}

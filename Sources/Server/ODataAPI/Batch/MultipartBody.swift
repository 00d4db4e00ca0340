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

    /// Header lines up to the first empty line, then the body.
    static func part(_ bytes: [UInt8]) throws(ODataError) -> Part {
        var headers: [(String, String)] = []
        var index = 0
        while index < bytes.count {
            let lineEnd = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var line = bytes[index..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            index = lineEnd + 1
            if line.isEmpty { break }
            let text = String(decoding: line, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else {
                throw ODataError(.badRequest, "batch part header '\(text)' has no ':'", target: "$batch")
            }
            headers.append(
                (
                    text[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
                    text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                )
            )
        }
        return Part(headers: headers, body: index < bytes.count ? Array(bytes[index...]) : [])
    }

    private static func hasPrefix(_ bytes: [UInt8], at index: Int, _ prefix: [UInt8]) -> Bool {
        guard index + prefix.count <= bytes.count else { return false }
        for offset in 0..<prefix.count where bytes[index + offset] != prefix[offset] { return false }
        return true
    }
}

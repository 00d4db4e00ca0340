/// Percent-encoding of path segments and query text.
enum PercentEncoding {
    /// Encodes every byte of `text` except letters, digits and the bytes in `allowed`.
    static func encode(_ text: String, allowing allowed: Set<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || allowed.contains(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A path segment: everything but unreserved characters is encoded, so `/`, `?` and `#` in an id stay
    /// inside its segment.
    static func pathSegment(_ segment: String) -> String {
        encode(segment, allowing: Set("-._~:@".utf8))
    }

    /// RQL text written by a user: its structure (`(`, `)`, `,`, `&`, `=`, quotes) stays readable, and
    /// everything else that cannot appear in a URL (spaces, `%`, `#`, `+`, non-ASCII) is encoded, so the text
    /// arrives exactly as written.
    static func rqlText(_ text: String) -> String {
        encode(text, allowing: Set("-._~(),*=:@!$;/'&".utf8))
    }

    /// A value inside RQL built by ``RQLFilter``: only unreserved characters stay, so `,`, `(` and `)`
    /// in the value never act as structure.
    static func rqlValue(_ text: String) -> String {
        encode(text, allowing: Set("-._~:".utf8))
    }

    /// A query parameter value such as `search=`: spaces become `%20`, never `+`.
    static func queryValue(_ text: String) -> String {
        encode(text, allowing: Set("-._~".utf8))
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}

/// The `X-OAIO-user`, `-dvc` and `-app` headers of oaio clients: Python bytes literals of UTF-8
/// text (`b'J\xc3\xbcrgen'`, `b"it's"`), as `repr(text.encode())` writes them.
enum OaioBytesLiteral {
    /// The text of a header: a bytes literal decoded; a value that is no bytes literal as it is;
    /// `nil` for a malformed literal or bytes that are not UTF-8.
    static func decode(_ header: String) -> String? {
        let bytes = Array(header.utf8)
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "b"),
            let quote = bytes.last, quote == bytes[1], quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")
        else { return header }
        var output: [UInt8] = []
        var index = 2
        let end = bytes.count - 1
        while index < end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < end else { return nil }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): output.append(escape)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "x"):
                guard index + 2 <= end,
                    let value = UInt8(String(decoding: bytes[index..<index + 2], as: UTF8.self), radix: 16)
                else { return nil }
                output.append(value)
                index += 2
            default:
                return nil
            }
        }
        return String(validating: output, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// The number of characters in this UTF-8 text before byte `byteOffset` (clamped to the text):
    /// turns the byte offsets that parsers work with into the character offsets their errors report.
    func characterOffset(ofByte byteOffset: Int) -> Int {
        String(decoding: self[..<Swift.min(Swift.max(byteOffset, 0), count)], as: UTF8.self).count
    }
}

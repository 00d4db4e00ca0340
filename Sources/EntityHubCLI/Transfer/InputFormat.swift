/// The formats `entityhub import` reads.
///
/// ```swift
/// InputFormat.detect(path: "orders.csv", firstByte: nil)             // .csv
/// InputFormat.detect(path: "dump.json", firstByte: UInt8(ascii: "{"))  // .jsonl (one object per line)
/// InputFormat.detect(path: "-", firstByte: UInt8(ascii: "["))          // .json
/// ```
enum InputFormat: String, CaseIterable, Sendable {
    /// JSON Lines: one JSON object per line (also `.ndjson`).
    case jsonl
    /// One JSON array of objects.
    case json
    /// CSV with a header row.
    case csv

    /// The format of an input, from its file extension, or else from its first non-whitespace byte.
    ///
    /// `.jsonl` and `.ndjson` are JSON Lines and `.csv` is CSV whatever they hold. `.json` is a JSON array,
    /// unless the file starts with `{` (JSON Lines saved as `.json`). Otherwise `[` means a JSON array,
    /// `{` JSON Lines, and anything else CSV.
    ///
    /// - Parameters:
    ///   - path: The path as given (`-` for standard input).
    ///   - firstByte: The first byte that is not whitespace, `nil` for an empty input.
    static func detect(path: String, firstByte: UInt8?) -> InputFormat {
        switch fileExtension(of: path) {
        case "jsonl", "ndjson": return .jsonl
        case "csv": return .csv
        case "json": return firstByte == UInt8(ascii: "{") ? .jsonl : .json
        default:
            switch firstByte {
            case UInt8(ascii: "["): return .json
            case UInt8(ascii: "{"): return .jsonl
            default: return .csv
            }
        }
    }

    /// The lowercased extension of the last path component, or `""`.
    private static func fileExtension(of path: String) -> String {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
}

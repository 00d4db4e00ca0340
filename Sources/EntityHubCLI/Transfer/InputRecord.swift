import EntityModel

/// One record read from an input file: an object to import, or the reason the record cannot be one.
///
/// `line` is the 1-based line where the record starts, so that users can find it in their file.
///
/// ```swift
/// while let record = try reader.next() {
///     switch record {
///     case .record(let line, let value): send(value, from: line)
///     case .malformed(let line, let reason): report("line \(line): \(reason)")
///     }
/// }
/// ```
enum InputRecord: Sendable, Hashable {
    /// A JSON object that starts at `line`.
    case record(line: Int, value: JSON)
    /// A record at `line` that is not a JSON object; `reason` says why, e.g. "expected 3 fields, found 4".
    case malformed(line: Int, reason: String)

    /// The 1-based line where the record starts.
    var line: Int {
        switch self {
        case .record(let line, _), .malformed(let line, _): return line
        }
    }
}

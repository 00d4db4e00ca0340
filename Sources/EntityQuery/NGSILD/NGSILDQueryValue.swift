import EntityModel

/// A value written in an NGSI-LD `q`, typed by how it is written.
///
/// Numbers keep the text they were written with (`1e400`, `0.1`), so nothing rounds through
/// `Double`; date-times, dates and times keep theirs too (`2017-12-24T12:00:00Z`), checked to be
/// valid calendar values.
///
/// ```swift
/// // level==4            → .number(JSONNumber("4")!)
/// // name=="Pisa Tower"  → .string("Pisa Tower")
/// // locatedIn==urn:ngsi-ld:City:Pisa → .uri("urn:ngsi-ld:City:Pisa")
/// ```
public enum NGSILDQueryValue: Sendable, Hashable, CustomStringConvertible {
    /// A JSON number (RFC 8259), exactly as written.
    case number(JSONNumber)
    /// A quoted JSON string, with its escapes decoded.
    case string(String)
    /// An unquoted date-time such as `2017-12-24T12:00:00Z` (fraction and offset optional), as written.
    case dateTime(String)
    /// An unquoted date such as `2017-12-24`.
    case date(String)
    /// An unquoted time such as `12:00:00` or `12:00:00.5Z`, as written.
    case time(String)
    /// `true` or `false`.
    case bool(Bool)
    /// An unquoted URI such as `urn:ngsi-ld:City:Pisa`, as written.
    case uri(String)

    /// The value written back in `q` syntax (strings quoted and escaped as JSON).
    public var description: String {
        switch self {
        case .number(let number): return number.text
        case .string(let text): return JSON.string(text).serialized()
        case .dateTime(let text), .date(let text), .time(let text), .uri(let text): return text
        case .bool(let value): return value ? "true" : "false"
        }
    }

    /// Whether the value may be an end of a range or follow `>`, `>=`, `<`, `<=` (a ComparableValue).
    var isComparable: Bool {
        switch self {
        case .number, .string, .dateTime, .date, .time: return true
        case .bool, .uri: return false
        }
    }

    /// Whether `other` is written the same way (both numbers, both dates, ...).
    func isSameKind(as other: NGSILDQueryValue) -> Bool {
        switch (self, other) {
        case (.number, .number), (.string, .string), (.dateTime, .dateTime), (.date, .date), (.time, .time),
            (.bool, .bool), (.uri, .uri):
            return true
        default:
            return false
        }
    }
}

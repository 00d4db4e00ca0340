/// A primitive literal as written in an OData URL, checked against its grammar and normalized.
///
/// Text-valued cases keep the canonical text of the value (the quotes and type prefixes removed,
/// percent-encodings decoded): `.date("2012-09-03")`, `.duration("P6DT23H59M59.9999S")`.
public enum ODataLiteral: Sendable, Hashable {
    case null
    case boolean(Bool)
    /// A number in JSON syntax (no leading `+`): `42`, `-0.314e1`, `3.14`.
    case number(String)
    /// `NaN`, `INF` or `-INF`.
    case notANumber, infinity, negativeInfinity
    /// The text between the quotes, doubled quotes undone.
    case string(String)
    /// `YYYY-MM-DD` (the year may have more digits or a `-`).
    case date(String)
    /// ISO 8601 with an offset: `Z` added when the URL had none (read as UTC), a space where `+`
    /// was expected restored as `+`.
    case dateTimeOffset(String)
    /// `hh:mm[:ss[.fff]]`.
    case timeOfDay(String)
    /// `[-]PnDTnHnMnS`.
    case duration(String)
    /// Lower-cased `8-4-4-4-12` hexadecimal digits.
    case guid(String)
    /// The bytes of a `binary'…'` literal (base64url).
    case binary([UInt8])
    /// `Namespace.Type'Member,Member'` or (4.01) `'Member'`: the members or numbers as written.
    case enumeration(type: ODataQualifiedName?, members: [String])
    /// `geography'SRID=0;Point(1 2)'`: the text between the quotes.
    case geography(String)
    /// `geometry'SRID=0;Point(1 2)'`: the text between the quotes.
    case geometry(String)
}

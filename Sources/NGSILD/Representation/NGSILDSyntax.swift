import EntityModel

/// The lexical rules of NGSI-LD input (clauses 4.5–4.7, 4.18): ids, names, scopes, DateTimes,
/// GeoJSON geometries and NGSI-LD Null.
///
/// ```swift
/// NGSILDSyntax.isEntityId("urn:ngsi-ld:Building:1")   // true
/// NGSILDSyntax.isUTCDateTime("2020-09-09T16:40:00+02:00")   // false
/// ```
public enum NGSILDSyntax {
    /// NGSI-LD Null (5.5.4): in update and merge fragments, deletes what it stands for.
    public static let null = "urn:ngsi-ld:null"

    /// The GeoJSON geometry types an NGSI-LD GeoProperty may hold (no GeometryCollection, 4.7).
    public static let geometryTypes: Set<String> = [
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    ]

    /// `true` for an entity id, `datasetId` or relationship object: an absolute IRI (`scheme:…`) with
    /// no white space, control or invisible (format) characters.
    public static func isEntityId(_ text: String) -> Bool {
        // One rule for every adapter: what a collection with `"ids": "uri"` accepts.
        IRIValidator.isAbsoluteIRI(text)
    }

    /// `true` for a name of 4.6.2: a Unicode letter, then letters, digits and `_`; or a compact or
    /// absolute IRI (`prefix:rest`) without white space, control or invisible characters.
    public static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if text.contains(":") {
            return first != ":" && !text.unicodeScalars.contains(where: isForbiddenInIRI)
        }
        return first.properties.isAlphabetic
            && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || isDigit($0) || $0 == "_" }
    }

    /// `true` for a scope of 4.18: `[/] ScopeLevel *(/ ScopeLevel)`, a level being a Unicode letter then
    /// letters, digits and `_`.
    public static func isScope(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.hasPrefix("/") { rest = rest.dropFirst() }
        let levels = rest.split(separator: "/", omittingEmptySubsequences: false)
        return levels.allSatisfy { level in
            guard let first = level.unicodeScalars.first, first.properties.isAlphabetic else { return false }
            return level.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || isDigit($0) || $0 == "_" }
        }
    }

    /// `true` for a DateTime in UTC (4.6.3): `YYYY-MM-DDThh:mm:ss[.fraction]Z`.
    public static func isUTCDateTime(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 20, scalars.last == "Z" else { return false }
        let pattern = Array("dddd-dd-ddTdd:dd:dd".unicodeScalars)
        for (index, expected) in pattern.enumerated() {
            let scalar = scalars[index]
            if expected == "d" ? !isDigit(scalar) : scalar != expected { return false }
        }
        let fraction = scalars[19..<(scalars.count - 1)]
        if !fraction.isEmpty {
            guard fraction.first == ".", fraction.count > 1, fraction.dropFirst().allSatisfy(isDigit) else {
                return false
            }
        }
        func number(_ range: Range<Int>) -> Int { Int(String(String.UnicodeScalarView(scalars[range]))) ?? -1 }
        return (1...12).contains(number(5..<7)) && (1...31).contains(number(8..<10))
            && (0...23).contains(number(11..<13)) && (0...59).contains(number(14..<16))
            && (0...60).contains(number(17..<19))
    }

    /// `true` for a GeoJSON geometry NGSI-LD accepts: an object whose `type` is one of
    /// ``geometryTypes`` and whose `coordinates` is an array.
    public static func isGeometry(_ value: JSON) -> Bool {
        guard case .object(let members) = value, case .string(let type)? = members["type"],
            geometryTypes.contains(type), case .array? = members["coordinates"]
        else { return false }
        return true
    }

    /// `true` when `value` is an object whose `type` is a GeoJSON geometry type NGSI-LD refuses.
    static func isRefusedGeometry(_ value: JSON) -> Bool {
        guard case .object(let members) = value, case .string(let type)? = members["type"] else { return false }
        return type == "GeometryCollection" && members["geometries"] != nil
    }

    /// `true` when a value member holds NGSI-LD Null in one of its forms: the string itself, a list
    /// holding only it, `{"@none": null}` for a language map, `[{"object": null}]` for an object list.
    public static func isNull(_ value: JSON) -> Bool {
        switch value {
        case .string(let text): return text == null
        case .array(let elements):
            guard elements.count == 1 else { return false }
            return isNull(elements[0]) || elements[0]["object"].map(isNull) == true
        case .object(let members): return members.count == 1 && members["@none"].map(isNull) == true
        default: return false
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// White space, controls and invisible format characters (zero-width spaces, BOM, bidi marks).
    private static func isForbiddenInIRI(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isWhitespace { return true }
        switch properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .unassigned,
            .privateUse, .surrogate:
            return true
        default: return properties.isDefaultIgnorableCodePoint
        }
    }
}

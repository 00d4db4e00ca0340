extension ODataReader {
    /// `geographyXxx` / `geometryXxx`: `geography'SRID=n;Point(…)'`; `expected` restricts the kind
    /// (`Point`, `LineString`… or `GeometryCollection`), `nil` accepts any.
    mutating func readGeoLiteral(geography: Bool? = nil, kind expected: String? = nil)
        throws(ODataQueryError) -> ODataLiteral
    {
        let isGeography: Bool
        if geography != false, consumeCaseInsensitive("geography") {
            isGeography = true
        } else if geography != true, consumeCaseInsensitive("geometry") {
            isGeography = false
        } else {
            throw fail(expected: geography == false ? "'geometry'" : "'geography'")
        }
        try expect("'")
        let start = index
        try readFullGeoLiteral(kind: expected)
        let text = rawDecodedText(start, index)
        try expect("'")
        return isGeography ? .geography(text) : .geometry(text)
    }

    /// `sridLiteral` and a geo literal of the given kind (any when `nil`).
    mutating func readFullGeoLiteral(kind expected: String?) throws(ODataQueryError) {
        guard consumeCaseInsensitive("SRID") else { throw fail(expected: "'SRID'") }
        try expectLiteral("=")
        _ = try readDigitRun(maximum: 5)
        try expect(";")
        try readGeo(kind: expected)
    }

    private static let geoKinds = [
        "GeometryCollection", "MultiLineString", "MultiPolygon", "MultiPoint", "LineString", "Polygon", "Point",
    ]

    /// `geoLiteral` of the given kind (any when `nil`).
    mutating func readGeo(kind expected: String?) throws(ODataQueryError) {
        try enter()
        defer { leave() }
        for kind in Self.geoKinds where expected == nil || expected == kind {
            guard consumeCaseInsensitive(kind) else { continue }
            switch kind {
            case "Point": try readPointData()
            case "LineString": try readLineStringData()
            case "Polygon": try readPolygonData()
            default:
                try expect("(")
                if kind == "GeometryCollection" {
                    repeat { try readGeo(kind: nil) } while consume(",")
                } else if !peek(")") {
                    repeat {
                        switch kind {
                        case "MultiPoint": try readPointData()
                        case "MultiLineString": try readLineStringData()
                        default: try readPolygonData()
                        }
                    } while consume(",")
                }
                try expect(")")
            }
            return
        }
        throw fail(expected: expected.map { "'\($0)'" } ?? "a geo literal such as Point(…)")
    }

    private mutating func readPointData() throws(ODataQueryError) {
        try expect("(")
        try readPosition()
        try expect(")")
    }

    private mutating func readLineStringData() throws(ODataQueryError) {
        try expect("(")
        try readPosition()
        try expect(",")
        try readPosition()
        while consume(",") { try readPosition() }
        try expect(")")
    }

    private mutating func readPolygonData() throws(ODataQueryError) {
        try expect("(")
        repeat {
            try expect("(")
            repeat { try readPosition() } while consume(",")
            try expect(")")
        } while consume(",")
        try expect(")")
    }

    /// `positionLiteral`: two to four numbers separated by single spaces.
    private mutating func readPosition() throws(ODataQueryError) {
        _ = try readNumber(urlForm: false)
        try expect(" ")
        _ = try readNumber(urlForm: false)
        for _ in 0..<2 where peek(" ") {
            index += 1
            _ = try readNumber(urlForm: false)
        }
    }

    /// The percent-decoded text of units `start..<end`.
    func rawDecodedText(_ start: Int, _ end: Int) -> String {
        String(decoding: units[start..<end].map(\.byte), as: UTF8.self)
    }
}

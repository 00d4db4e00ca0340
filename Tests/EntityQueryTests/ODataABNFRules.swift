@testable import EntityQuery

/// Parses the whole of an input as one rule of the OData ABNF, for the OASIS test cases.
extension ODataParser {
    static let optionRules: Set<String> = [
        "filter", "orderby", "expand", "select", "compute", "skiptoken", "deltatoken", "search",
    ]
    static let headerRules: Set<String> = [
        "prefer", "preference", "maxpagesizePreference", "includeAnnotationsPreference",
    ]
    static let integerRules: [String: (digits: Int, signed: Bool)] = [
        "byte": (3, false), "sbyte": (3, true), "int16": (5, true), "int32": (10, true), "int64": (19, true),
    ]
    static let geoKinds = [
        "Collection", "LineString", "MultiLineString", "MultiPoint", "MultiPolygon", "Point", "Polygon",
    ]
    static let otherRules: Set<String> = [
        "systemQueryOption", "customQueryOption", "odataUri", "odataRelativeUri", "resourcePath", "queryOptions",
        "searchExpr", "commonExpr", "boolCommonExpr", "notExpr", "firstMemberExpr", "propertyPathExpr", "isofExpr",
        "anyExpr", "functionParameter", "entitySetName", "odataIdentifier", "stringInUrl", "primitiveLiteral",
        "primitiveValue", "null", "boolean", "booleanValue", "binaryLiteral", "guid", "date", "dateValue",
        "dateTimeOffsetValue", "dateTimeOffsetLiteral", "dateTimeOffsetValueInUrl", "timeOfDayValue",
        "timeOfDayLiteral", "durationValue", "durationLiteral", "enumLiteral", "enumValue", "stringLiteral",
        "decimalValue", "doubleValue", "singleValue", "decimalLiteral", "doubleLiteral", "singleLiteral",
    ]

    /// Whether `rule` is one this harness knows.
    static func knowsABNFRule(_ rule: String) -> Bool {
        optionRules.contains(rule) || headerRules.contains(rule) || otherRules.contains(rule)
            || integerRule(rule) != nil || geoRule(rule) != nil
    }

    static func integerRule(_ rule: String) -> (digits: Int, signed: Bool, url: Bool)? {
        for suffix in ["Value", "Literal"] where rule.hasSuffix(suffix) {
            if let spec = integerRules[String(rule.dropLast(suffix.count))] {
                return (spec.digits, spec.signed, suffix == "Literal")
            }
        }
        return nil
    }

    static func geoRule(_ rule: String) -> (geography: Bool, kind: String)? {
        for prefix in ["geography", "geometry"] where rule.hasPrefix(prefix) {
            let kind = String(rule.dropFirst(prefix.count))
            if geoKinds.contains(kind) {
                return (prefix == "geography", kind == "Collection" ? "GeometryCollection" : kind)
            }
        }
        return nil
    }

    /// Parses all of `input` as `rule`.
    func parse(abnfRule rule: String, _ input: String) throws(ODataQueryError) {
        if Self.headerRules.contains(rule) {
            try run(input, decodes: false) { reader throws(ODataQueryError) in
                if rule == "prefer" { _ = try reader.readPreferHeader() } else { _ = try reader.readPreference() }
            }
            return
        }
        try run(input) { reader throws(ODataQueryError) in try reader.readABNFRule(rule) }
    }
}

extension ODataReader {
    /// Reads one rule of the ABNF (not checking that the input ends).
    mutating func readABNFRule(_ rule: String) throws(ODataQueryError) {
        if ODataParser.optionRules.contains(rule) {
            _ = try readQueryOption(allowed: [ODataOptionName(rawValue: rule)!], nested: false)
            return
        }
        if let spec = ODataParser.integerRule(rule) {
            _ = try readInteger(digits: spec.digits, urlForm: spec.url, signed: spec.signed)
            return
        }
        if let spec = ODataParser.geoRule(rule) {
            _ = try readGeoLiteral(geography: spec.geography, kind: spec.kind)
            return
        }
        try readExpressionOrURIRule(rule)
    }

    private mutating func readExpressionOrURIRule(_ rule: String) throws(ODataQueryError) {
        switch rule {
        case "systemQueryOption":
            _ = try readQueryOption(
                allowed: Set(ODataOptionName.allCases).subtracting([.levels, .apply]),
                nested: false
            )
        case "customQueryOption": _ = try readQueryOption(allowed: [], nested: false)
        case "odataUri": _ = try readODataURI()
        case "odataRelativeUri": _ = try readRelativeURI()
        case "resourcePath": _ = try readResourcePath()
        case "queryOptions": _ = try readQueryOptions()
        case "searchExpr": _ = try readSearch()
        case "commonExpr", "boolCommonExpr", "notExpr": _ = try readCommonExpression()
        case "firstMemberExpr": _ = try readFirstMember()
        case "propertyPathExpr": _ = try readDirectMember()
        case "isofExpr":
            guard try readMethodCall() != nil else { throw fail(expected: "isof") }
        case "anyExpr":
            guard try readLambda() != nil else { throw fail(expected: "any") }
        case "functionParameter":
            _ = try readIdentifier("a parameter name")
            try expectLiteral("=")
            _ = try readPrimitiveLiteral()
        case "entitySetName":
            let name = try readIdentifier("an entity set")
            guard names.entitySetNames.contains(name) else { throw fail(expected: "an entity set") }
        case "odataIdentifier": _ = try readIdentifier("a name")
        case "stringInUrl": _ = try readJSONString()
        default: try readLiteralRule(rule)
        }
    }

    private mutating func readLiteralRule(_ rule: String) throws(ODataQueryError) {
        switch rule {
        case "primitiveLiteral": _ = try readPrimitiveLiteral()
        case "primitiveValue": try readPrimitiveValue()
        case "null":
            guard consumeKeywordExactly("null") else { throw fail(expected: "null") }
        case "boolean":
            guard consumeBoolean() != nil else { throw fail(expected: "true or false") }
        case "booleanValue":
            guard consumeKeywordExactly("true") || consumeKeywordExactly("false") else {
                throw fail(expected: "true or false")
            }
        case "binaryLiteral": _ = try readBinaryLiteral()
        case "guid": _ = try readGuid()
        case "date", "dateValue": _ = try readDateLiteral()
        case "dateTimeOffsetValue": _ = try readDateTimeOffset(urlForm: false, lenient: false)
        case "dateTimeOffsetLiteral", "dateTimeOffsetValueInUrl":
            _ = try readDateTimeOffset(urlForm: true, lenient: false)
        case "timeOfDayValue": _ = try readTimeOfDay(urlForm: false)
        case "timeOfDayLiteral": _ = try readTimeOfDay(urlForm: true)
        case "durationValue": _ = try readDurationValue()
        case "durationLiteral": _ = try readDurationLiteral()
        case "enumLiteral": _ = try readEnumLiteral(requireType: false)
        case "enumValue": _ = try readEnumValue()
        case "stringLiteral": _ = try readString()
        case "decimalValue", "doubleValue", "singleValue": _ = try readNumber(urlForm: false)
        case "decimalLiteral", "doubleLiteral", "singleLiteral": _ = try readNumber(urlForm: true)
        default: throw fail(.syntax, "no such rule \(rule)", at: 0)
        }
    }

    /// `primitiveValue`: a literal as CSDL writes it (no quotes or prefixes), which must be all of
    /// the input: the first alternative that reads to the end wins.
    mutating func readPrimitiveValue() throws(ODataQueryError) {
        for alternative in 0..<10 {
            let done = attempt { reader throws(ODataQueryError) -> Bool in
                try reader.readPrimitiveValueAlternative(alternative)
                try reader.expectEnd()
                return true
            }
            if done == true { return }
        }
        throw fail(expected: "a primitive value")
    }

    private mutating func readPrimitiveValueAlternative(_ alternative: Int) throws(ODataQueryError) {
        switch alternative {
        case 0:
            guard consumeKeywordExactly("true") || consumeKeywordExactly("false") else {
                throw fail(expected: "true or false")
            }
        case 1: _ = try readGuid()
        case 2: _ = try readDurationValue()
        case 3: _ = try readDateTimeOffset(urlForm: false, lenient: false)
        case 4: _ = try readDateLiteral()
        case 5: _ = try readTimeOfDay(urlForm: false)
        case 6: _ = try readEnumValue()
        case 7: try readFullGeoLiteral(kind: nil)
        case 8: _ = try readNumber(urlForm: false)
        default: _ = try readBinaryValue()
        }
    }
}

extension ODataReader {
    /// `ALPHA / DIGIT / "_"` or a byte of a non-ASCII character.
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        ODataUnit.isAlpha(byte) || ODataUnit.isDigit(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    /// The `odataIdentifier` at the current position and the index after it, without consuming it:
    /// a letter or `_`, then up to 127 letters, digits or `_` (letters of any script, written as
    /// UTF-8 or percent-encoded).
    func peekIdentifier() -> (name: String, end: Int)? {
        guard let first = byte(), Self.isIdentifierByte(first), !ODataUnit.isDigit(first) else { return nil }
        var end = index
        var bytes: [UInt8] = []
        while end < units.count, Self.isIdentifierByte(units[end].byte) {
            bytes.append(units[end].byte)
            end += 1
        }
        guard let name = String(validating: bytes, as: UTF8.self), name.unicodeScalars.count <= 128,
            let lead = name.unicodeScalars.first,
            lead == "_" || lead.isASCII || Self.isLetter(lead)
        else { return nil }
        return (name, end)
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .letterNumber:
            return true
        default: return false
        }
    }

    /// Consumes an `odataIdentifier`.
    mutating func consumeIdentifier() -> String? {
        guard let (name, end) = peekIdentifier() else { return nil }
        index = end
        return name
    }

    /// Reads an `odataIdentifier` or fails expecting `role` (`a property name`).
    mutating func readIdentifier(_ role: String) throws(ODataQueryError) -> String {
        guard let name = consumeIdentifier() else { throw fail(expected: role) }
        return name
    }

    /// Reads `identifier *("." identifier)` (literal dots): the parts of a possibly qualified name.
    func peekDottedName() -> (parts: [String], end: Int)? {
        var reader = self
        guard let first = reader.consumeIdentifier() else { return nil }
        var parts = [first]
        while reader.peekLiteral("."), let (next, end) = reader.peekIdentifier(ahead: 1) {
            parts.append(next)
            reader.index = end
        }
        return (parts, reader.index)
    }

    /// The identifier starting `ahead` units from here.
    func peekIdentifier(ahead: Int) -> (name: String, end: Int)? {
        var reader = self
        reader.index += ahead
        return reader.peekIdentifier()
    }

    /// Reads a name whose last part must satisfy `isName`, optionally preceded by a namespace of
    /// known parts: `Model.Customer`, `Customer`. `qualified`: the namespace is required;
    /// `false`: forbidden; `nil`: optional.
    mutating func consumeName(
        qualified: Bool?,
        where isName: (String) -> Bool
    ) -> ODataQualifiedName? {
        guard let (parts, end) = peekDottedName() else { return nil }
        // The longest dotted prefix whose last part is a name and the rest a namespace.
        var count = parts.count
        while count >= 1 {
            let name = parts[count - 1]
            let namespace = Array(parts[..<(count - 1)])
            let fits =
                isName(name)
                && (namespace.isEmpty ? qualified != true : qualified != false && names.isNamespace(namespace))
            if fits {
                // Advance past exactly `count` parts.
                var reader = self
                for part in 0..<count {
                    if part > 0 { reader.index += 1 }
                    _ = reader.consumeIdentifier()
                }
                index = reader.index
                return ODataQualifiedName(
                    namespace: namespace.isEmpty ? nil : namespace.joined(separator: "."),
                    name: name
                )
            }
            count -= 1
        }
        _ = end
        return nil
    }

    /// `optionallyQualifiedEntityTypeName`.
    mutating func consumeEntityTypeName(qualified: Bool? = nil) -> ODataQualifiedName? {
        consumeName(qualified: qualified, where: names.entityTypeNames.contains)
    }

    /// `optionallyQualifiedComplexTypeName`.
    mutating func consumeComplexTypeName(qualified: Bool? = nil) -> ODataQualifiedName? {
        consumeName(qualified: qualified, where: names.complexTypeNames.contains)
    }

    /// `optionallyQualifiedTypeName`: a primitive (`Edm.Int32`), entity, complex, enumeration or
    /// type-definition name, or `Collection(` one of these `)`.
    mutating func readTypeName() throws(ODataQueryError) -> ODataTypeName {
        let start = index
        if consumeExactly("Collection"), consume("(") {
            let element = try readSingleTypeName()
            try expect(")")
            return ODataTypeName(element, isCollection: true)
        }
        index = start
        return ODataTypeName(try readSingleTypeName())
    }

    private mutating func readSingleTypeName() throws(ODataQueryError) -> ODataQualifiedName {
        if let primitive = consumePrimitiveTypeName() { return primitive }
        let isType: (String) -> Bool = { [names] name in
            names.entityTypeNames.contains(name) || names.complexTypeNames.contains(name)
                || names.enumerationTypeNames.contains(name) || names.typeDefinitionNames.contains(name)
        }
        guard let name = consumeName(qualified: nil, where: isType) else {
            throw fail(expected: "a type name")
        }
        return name
    }

    static let primitiveTypeNames: [String] = [
        "Binary", "Boolean", "Byte", "DateTimeOffset", "Date", "Decimal", "Double", "Duration", "Guid",
        "Int16", "Int32", "Int64", "SByte", "Single", "Stream", "String", "TimeOfDay",
    ]
    static let spatialTypeNames: [String] = [
        "Collection", "MultiLineString", "LineString", "MultiPoint", "MultiPolygon", "Point", "Polygon",
    ]

    /// `primitiveTypeName`: `Edm.` and a primitive or spatial type (case-sensitive).
    mutating func consumePrimitiveTypeName() -> ODataQualifiedName? {
        let start = index
        guard consumeExactly("Edm.") else { return nil }
        let afterPrefix = index
        var candidates: [String] = []
        for abstract in ["Geography", "Geometry"] {
            candidates.append(abstract)
            candidates += Self.spatialTypeNames.map { abstract + $0 }
        }
        candidates += Self.primitiveTypeNames
        // The longest name not followed by another identifier character.
        for name in candidates.sorted(by: { $0.utf8.count > $1.utf8.count }) {
            index = afterPrefix
            if consumeExactly(name), !(byte().map(Self.isIdentifierByte) ?? false) {
                return ODataQualifiedName(namespace: "Edm", name: name)
            }
        }
        index = start
        return nil
    }
}

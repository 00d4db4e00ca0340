extension NGSILDReader {
    /// Reads one `q` term: an attribute path, then an operator and its operand unless the term is an
    /// existence test (`q=temperature`).
    mutating func readQueryTerm() throws(NGSILDQueryError) -> NGSILDQueryTerm {
        let attribute = try readAttributePath()
        guard index < bytes.count, Self.isOperatorByte(bytes[index]) else {
            try expectTermEnd(after: "the attribute")
            return NGSILDQueryTerm(attribute: attribute, predicate: .exists)
        }
        let operatorStart = index
        while index < bytes.count, Self.isOperatorByte(bytes[index]) { index += 1 }
        let written = text(operatorStart, index)
        if written == "~=" || written == "!~=" {
            let pattern = try readPatternOperand()
            return NGSILDQueryTerm(attribute: attribute, predicate: .matches(pattern, negated: written == "!~="))
        }
        guard let comparison = NGSILDComparisonOperator(rawValue: written) else {
            throw error(.syntax, "unknown operator '\(written)'", at: operatorStart)
        }
        return NGSILDQueryTerm(attribute: attribute, predicate: try readOperand(of: comparison))
    }

    /// Fails unless a term may end here: before `;`, `|`, `)` or the end.
    mutating func expectTermEnd(after what: String) throws(NGSILDQueryError) {
        guard isAtEnd || peek(";") || peek("|") || peek(")") else {
            throw error(.syntax, "unexpected \(shown(at: index)) after \(what)")
        }
    }

    /// The characters operators are written with: `= ! < > ~`.
    static func isOperatorByte(_ byte: UInt8) -> Bool {
        Array("=!<>~".utf8).contains(byte)
    }

    /// Reads an attribute path (the grammar's `Attribute`):
    ///
    /// ```
    /// path        := AttrName '{' linked '}' | valuePath
    /// linked      := [EntityType (',' EntityType)* ':'] path
    /// valuePath   := AttrName ('.' AttrName)* ['[' AttrName ('.' AttrName)* ']']
    /// ```
    ///
    /// The grammar allows entity types only before a further `relationship{…}`; they are accepted
    /// before the final value path too (`locatedIn{City:population}`).
    mutating func readAttributePath() throws(NGSILDQueryError) -> NGSILDAttributePath {
        var steps: [NGSILDLinkedEntityStep] = []
        while true {
            var name = try readName("an attribute name")
            if !steps.isEmpty, peek(",") || peek(":") {
                var types = [name]
                while consume(",") { types.append(try readName("an entity type")) }
                guard consume(":") else {
                    throw error(.syntax, "expected ',' or ':' after an entity type, found \(shown(at: index))")
                }
                steps[steps.count - 1].entityTypes = types
                name = try readName("an attribute name")
            }
            guard peek("{") else {
                return try readValuePath(name: name, linkedEntities: steps)
            }
            guard steps.count < maximumDepth else {
                throw error(.tooDeep, "linked entity paths nested deeper than \(maximumDepth) levels")
            }
            index += 1
            steps.append(NGSILDLinkedEntityStep(relationship: name))
        }
    }

    /// The rest of a value path after its first name, and the `}` that close the linked entity steps.
    private mutating func readValuePath(
        name: String,
        linkedEntities: [NGSILDLinkedEntityStep]
    ) throws(NGSILDQueryError) -> NGSILDAttributePath {
        var memberPath: [String] = []
        while consume(".") { memberPath.append(try readName("a name")) }
        var valuePath: [String] = []
        if consume("[") {
            repeat { valuePath.append(try readName("a name")) } while consume(".")
            guard consume("]") else {
                throw error(.syntax, "expected '.' or ']', found \(shown(at: index))")
            }
        }
        for _ in linkedEntities {
            guard consume("}") else {
                throw error(.syntax, "expected '}', found \(shown(at: index))")
            }
        }
        return NGSILDAttributePath(
            linkedEntities: linkedEntities,
            name: name,
            memberPath: memberPath,
            valuePath: valuePath
        )
    }
}

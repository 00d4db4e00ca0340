import EntityQuery
import Foundation
import Testing

struct NGSILDPatternTests {
    static let accepted = [
        "urn:ngsi-ld:Building:.*", "^urn:ngsi-ld:Building:[0-9]+$", "a|b", "(a|b)c", "[[:alpha:]]+", "[^a-z_]",
        "[a-]", "[-a]", "[^-a]", "a{2}", "a{2,}", "a{2,5}", "a{0,255}", #"\."#, #"\("#, #"[\]]"#, #"[\[]"#, "x?y*z+",
        ".", "^$", "(a(b(c)))", "é+", #"\}"#, "]", "a{0}", "x{1,1}", #"[a\-z]"#, #"[\^a]"#, #"a\/b"#, "# a",
        "[[:space:][:punct:]]", "[é-ü]", #"[!-\-]"#, #"[\&-b]"#, #"[\:]"#, "[^:]", "[a:]", "[!-&]", "[{}]",
        "[$&]", "[a-z&]", "[|;)(]", "(^a|b$)", #"a\|b"#,
        "[[:digit:][:upper:]]", "[a-z0-9]", "(a|b)*", "a;b",
    ]

    @Test(arguments: accepted)
    func acceptsThePOSIXSubset(pattern: String) throws {
        #expect(try NGSILDQueryParser().parsePattern(pattern).text == pattern)
    }

    /// Decision 5 runs the patterns with NSRegularExpression: whatever the parser accepts must compile.
    @Test(arguments: accepted)
    func acceptedPatternsCompileWithNSRegularExpression(pattern: String) {
        #expect((try? NSRegularExpression(pattern: pattern)) != nil)
    }

    static let rejected: [(String, Int, String)] = [
        ("a**", 2, "'*' cannot follow another quantifier"),
        ("invalid_entity_id_pattern**", 26, "'*' cannot follow another quantifier"),
        ("a*?", 2, "'?' cannot follow another quantifier"),
        ("a+*", 2, "'*' cannot follow another quantifier"),
        ("a{2}{3}", 4, "'{' cannot follow another quantifier"),
        ("*a", 0, "'*' has nothing to repeat"),
        ("^*", 1, "'*' has nothing to repeat"),
        ("a|*", 2, "'*' has nothing to repeat"),
        ("(*a)", 1, "'*' has nothing to repeat"),
        ("{2}", 0, "'{' has nothing to repeat"),
        ("a}", 1, #"'}' without '{'; write '\}' for the character"#),
        (#"\1"#, 0, #"unsupported back-reference '\1'"#),
        (#"(a)\1"#, 3, #"unsupported back-reference '\1'"#),
        (#"\d"#, 0, #"unsupported escape '\d'"#),
        (#"\bword"#, 0, #"unsupported escape '\b'"#),
        (#"a\"#, 1, #"'\' at the end of the pattern"#),
        ("(?=a)", 0, "'(?' groups (lookaround, flags, non-capturing) are not supported"),
        ("a(?!b)", 1, "'(?' groups (lookaround, flags, non-capturing) are not supported"),
        ("(?<=a)b", 0, "'(?' groups (lookaround, flags, non-capturing) are not supported"),
        ("(?i)abc", 0, "'(?' groups (lookaround, flags, non-capturing) are not supported"),
        ("(a", 2, "expected ')'"),
        ("a)", 1, "')' without a matching '('"),
        ("()", 1, "empty group"),
        ("a|", 2, "empty alternative"),
        ("|a", 0, "empty alternative"),
        ("a||b", 2, "empty alternative"),
        ("", 0, "expected a pattern"),
        ("[a", 2, "expected ']'"),
        ("[]a]", 1, #"empty bracket expression; write '\]' for the character"#),
        ("[z-a]", 1, "invalid range 'z-a'"),
        ("[[:foo:]]", 1, "unknown character class '[:foo:]'"),
        ("[[=a=]]", 1, "equivalence classes and collating elements are not supported"),
        ("[[.a.]]", 1, "equivalence classes and collating elements are not supported"),
        ("[a[b]", 2, #"write '\[' for a '[' inside a bracket expression"#),
        ("[a&&b]", 2, #"'&&' in a bracket expression is not portable; write '\&'"#),
        ("[!--]", 2, #"'--' in a bracket expression is not portable; write '\-'"#),
        ("[&-b]", 1, #"write '\&' for a '&' that starts a range"#),
        ("[:]:]", 1, #"write '\:' for a ':' first in a bracket expression"#),
        ("[--a]", 1, #"'--' in a bracket expression is not portable; write '\-'"#),
        ("[:alpha:]", 0, "a character class is written inside brackets, as in [[:alpha:]]"),
        (#"[\d]"#, 1, #"unsupported escape '\d'"#),
        ("[a-z-9]", 4, #"write '\-' for a '-' after a range or class"#),
        ("[a-[:digit:]]", 3, "expected a character to end the range"),
        ("a{", 2, "expected a number in the repetition"),
        ("a{,2}", 2, "expected a number in the repetition"),
        ("a{2", 3, "expected '}' to end the repetition"),
        ("a{3,2}", 1, "repetition bounds out of order"),
        ("a{256}", 2, "repetition bound above 255"),
        ("é**", 2, "'*' cannot follow another quantifier"),
    ]

    @Test(arguments: rejected)
    func rejectsOtherConstructsAtTheirPosition(pattern: String, position: Int, message: String) {
        let error = ngsildError("idPattern", pattern)
        #expect(error?.code == .invalidPattern)
        #expect(error?.message == message)
        #expect(error?.position == position)
        #expect(error?.parameter == "idPattern")
    }

    @Test func describesTheErrorWithTheParameter() {
        #expect(
            ngsildError("idPattern", "invalid_entity_id_pattern**")?.description
                == "idPattern: '*' cannot follow another quantifier at position 26"
        )
        #expect(
            ngsildError("pattern", "a**")?.description == "pattern: '*' cannot follow another quantifier at position 2"
        )
    }

    @Test func rejectsGroupsNestedTooDeeply() {
        let deep = String(repeating: "(", count: 33) + "a" + String(repeating: ")", count: 33)
        let error = ngsildError("idPattern", deep)
        #expect(error?.code == .tooDeep)
        #expect(error?.position == 32)
        #expect(ngsildError("idPattern", String(deep.dropFirst().dropLast())) == nil)
    }

    @Test func readsPatternsInQueryTerms() throws {
        let parser = NGSILDQueryParser()
        func pattern(_ text: String) throws -> String? {
            guard case .matches(let pattern, _) = try parser.parseQuery(text).terms.first?.predicate else { return nil }
            return pattern.text
        }
        #expect(try pattern("name~=^Eiffel.*") == "^Eiffel.*")
        #expect(try pattern(#"name~="^(Eiffel|Pisa) Tower$""#) == "^(Eiffel|Pisa) Tower$")
        #expect(try pattern(#"name~="a\\.b""#) == #"a\.b"#)
        #expect(try pattern("name~=(Eiffel|Pisa)") == "(Eiffel|Pisa)")
        #expect(try pattern("name~=[;|)]x") == "[;|)]x")
        #expect(try pattern("name~=(a;b)") == "(a;b)")
        #expect(try pattern(#"name~=a\;b\|c"#) == #"a\;b\|c"#)
        let query = try parser.parseQuery("(name~=^E;a==1)|name!~=x$")
        #expect(query.description == #"name~="^E";a==1|name!~="x$""#)
        guard case .or(let alternatives) = query, case .term(let last) = alternatives.last else {
            Issue.record("expected an OR of terms")
            return
        }
        let expected = try parser.parsePattern("x$")
        #expect(last.predicate == .matches(expected, negated: true))
    }
}

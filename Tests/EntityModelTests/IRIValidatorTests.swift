import EntityModel
import Testing

/// The ids of collections with `"ids": "uri"`.
struct IRIValidatorTests {
    @Test(arguments: [
        "urn:ngsi-ld:Room:1", "https://example.org/rooms/1?x=1#a", "urn:uuid:6f1c7d52-3a5e-4d0b-9d7e-0a1b2c3d4e5f",
        "a:b", "x+y-z.1:rest", "urn:ngsi-ld:Straße:Ü", "urn:a%20b", "mailto:a@b.c", "urn:a/b/c",
    ])
    func acceptsAbsoluteIRIs(_ id: String) {
        #expect(IRIValidator.problem(with: id) == nil)
        #expect(IRIValidator.isAbsoluteIRI(id))
    }

    @Test(arguments: [
        ("", "expected an absolute IRI"), ("Room1", "expected an absolute IRI"), (":rest", "expected an absolute IRI"),
        ("1urn:a", "expected an absolute IRI"), ("ur_n:a", "expected an absolute IRI"),
        ("urn:", "expected an absolute IRI"),
        ("urn:a b", "U+0020 at character 6"), ("urn:a\tb", "U+0009"), ("urn:a\nb", "U+000A"),
        ("urn:a\u{7F}", "U+007F"), ("urn:a\u{200B}b", "U+200B"), ("\u{FEFF}urn:a", "U+FEFF at character 1"),
        ("urn:a\u{00A0}b", "U+00A0"), ("urn:a\u{2028}", "U+2028"), ("urn:a\u{3000}", "U+3000"),
        ("urn:a\u{00AD}", "U+00AD"), ("urn:\u{0000}", "U+0000"),
    ])
    func refusesOthersNamingTheProblem(_ id: String, problem: String) throws {
        let message = try #require(IRIValidator.problem(with: id))
        #expect(message.contains(problem), "\(message)")
    }

    @Test func acceptsAtMost1024BytesOfUTF8() {
        let longest = "urn:" + String(repeating: "a", count: 1020)
        #expect(longest.utf8.count == 1024)
        #expect(IRIValidator.isAbsoluteIRI(longest))
        #expect(
            IRIValidator.problem(with: longest + "a") == "expected at most 1024 bytes (UTF-8) in an IRI, found 1025"
        )
        // Bytes, not characters: 511 two-byte letters are 1,022 bytes after "urn:".
        let wide = "urn:" + String(repeating: "é", count: 511)
        #expect(wide.utf8.count == 1026)
        #expect(!IRIValidator.isAbsoluteIRI(wide))
    }
}

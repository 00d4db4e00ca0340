/// The JSON-LD 1.1 keywords and the lexical tests on IRIs that expansion and compaction need.
enum JSONLDKeyword {
    /// Every JSON-LD 1.1 keyword (those of pyld 3.3.0, the oracle of the tests).
    static let all: Set<String> = [
        "@base", "@container", "@context", "@default", "@direction", "@embed", "@explicit", "@first", "@graph",
        "@id", "@import", "@included", "@index", "@json", "@language", "@list", "@nest", "@none", "@omitDefault",
        "@propagate", "@protected", "@preserve", "@requireAll", "@reverse", "@set", "@type", "@value", "@version",
        "@vocab",
    ]

    /// `true` for a JSON-LD keyword such as `@type`.
    static func isKeyword(_ text: String) -> Bool { all.contains(text) }

    /// `true` for text of a keyword's form (`@` and letters) that is not a keyword: JSON-LD ignores it.
    static func isReservedForm(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard scalars.count > 1, scalars.first == "@", !all.contains(text) else { return false }
        return scalars.dropFirst().allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
    }

    /// `true` for an absolute IRI or blank node identifier: a scheme (a letter, then letters, digits,
    /// `+ - .`) or `_`, a colon, and no white space.
    static func isAbsoluteIRI(_ text: String) -> Bool {
        guard let colon = text.unicodeScalars.firstIndex(of: ":") else { return false }
        let scheme = text.unicodeScalars[..<colon]
        let rest = text.unicodeScalars[text.unicodeScalars.index(after: colon)...]
        guard let first = scheme.first, !rest.contains(where: \.properties.isWhitespace) else { return false }
        if scheme.count == 1 && first == "_" { return true }
        return isASCIILetter(first) && scheme.dropFirst().allSatisfy { isASCIILetter($0) || isSchemeSymbol($0) }
    }

    /// `true` when an IRI ends with a generic delimiter (`: / ? # [ ] @`), so that a term mapped to
    /// it can serve as a prefix.
    static func endsWithGenericDelimiter(_ iri: String) -> Bool {
        guard let last = iri.unicodeScalars.last else { return false }
        return ":/?#[]@".unicodeScalars.contains(last)
    }

    /// Splits `prefix:suffix` at the first colon, when the prefix is not empty.
    static func splitCompactIRI(_ text: String) -> (prefix: String, suffix: String)? {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// What follows `prefix` in `text`, compared by Unicode code points; `nil` when `text` does not
    /// start with `prefix`.
    static func remainder(of text: String, after prefix: String) -> String? {
        var scalars = text.unicodeScalars[...]
        for scalar in prefix.unicodeScalars {
            guard scalars.first == scalar else { return nil }
            scalars = scalars.dropFirst()
        }
        return String(String.UnicodeScalarView(scalars))
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    /// Letters are checked apart; pyld's class `[A-Za-z0-9+-.]` also takes `,` (the range `+-.`).
    private static func isSchemeSymbol(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("+"...".").contains(scalar)
    }
}

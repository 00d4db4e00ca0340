import EntityQuery
import Foundation
import Testing

/// Properties checked over many generated inputs made of the characters the grammars give meaning to.
struct NGSILDParserPropertyTests {
    /// SplitMix64: the same inputs on every run.
    private struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private func inputs(from alphabet: String, count: Int, maximumLength: Int) -> [String] {
        let characters = Array(alphabet)
        var generator = SeededGenerator(state: 2026)
        return (0..<count).map { _ in
            let length = Int.random(in: 1...maximumLength, using: &generator)
            return String((0..<length).map { _ in characters.randomElement(using: &generator)! })
        }
    }

    @Test func everyAcceptedPatternCompilesWithNSRegularExpression() {
        let parser = NGSILDQueryParser()
        var accepted = 0
        for text in inputs(from: #"ab1é.,;|()[]{}:=!-+*?^$#/ &\z[]-:"#, count: 40_000, maximumLength: 9) {
            guard (try? parser.parsePattern(text)) != nil else { continue }
            accepted += 1
            #expect((try? NSRegularExpression(pattern: text)) != nil, "\(text)")
        }
        #expect(accepted > 5_000)
    }

    @Test func everyParsedQueryIsWrittenBackAsTheSameQuery() {
        let parser = NGSILDQueryParser()
        var parsed = 0
        for text in inputs(from: #"ab1_é.,;|()[]{}:=!<>~"\-+*?^$#/eT0Z9u&"#, count: 100_000, maximumLength: 12) {
            guard let query = try? parser.parseQuery(text) else { continue }
            parsed += 1
            #expect((try? parser.parseQuery(query.description)) == query, "\(text) → \(query.description)")
        }
        #expect(parsed > 500)
    }
}

import EntityQuery
import EntityStoreTestKit
import Foundation
import Testing

/// Properties checked over many generated inputs (the same on every run) made of the characters the
/// grammars give meaning to.
struct NGSILDParserPropertyTests {
    private func inputs(from alphabet: String, count: Int, maximumLength: Int) -> [String] {
        let characters = Array(alphabet)
        var generator = SplitMix64(seed: 2026)
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

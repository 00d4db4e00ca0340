import EntityModel
import Foundation
import NGSILD

/// Shared fixtures of the representation tests.
enum Fixture {
    static let vocabulary = CoreContext.defaultVocabulary
    static let example = "https://example.org/ctx#"
    static let created = Date(timeIntervalSince1970: 1_800_000_000)
    static let later = Date(timeIntervalSince1970: 1_800_000_600)
    static let createdText = "2027-01-15T08:00:00.000Z"
    static let laterText = "2027-01-15T08:10:00.000Z"

    /// A user context: the terms of §2.5's context C (`almostFull`), a prefix `ex`, `speed`, `Car`,
    /// `category`, then the core.
    static func userContext() async throws -> ActiveContext {
        let terms: JSON = [
            "ex": .string(example), "almostFull": .string(example + "almostFull"), "speed": "ex:speed",
            "Car": "ex:Car", "Commercial": "ex:Commercial",
        ]
        return try await ContextProcessor(loader: PreloadedContextLoader(documents: [:]))
            .activeContext(for: [terms, .string(CoreContext.url)])
    }

    static func json(_ text: String) throws -> JSON { try JSON(parsing: text) }

    /// Removes `createdAt`/`modifiedAt` everywhere, to compare documents without their times.
    static func withoutTimes(_ value: JSON) -> JSON {
        switch value {
        case .object(let members):
            var kept: [String: JSON] = [:]
            for (name, member) in members where name != "createdAt" && name != "modifiedAt" {
                kept[name] = withoutTimes(member)
            }
            return .object(kept)
        case .array(let elements): return .array(elements.map(withoutTimes))
        default: return value
        }
    }

    static func withoutTimes(_ values: [String: JSON]) -> [String: JSON] {
        withoutTimes(.object(values)).objectValue ?? [:]
    }
}

extension JSON {
    /// A number that is no 64-bit integer, kept as its text (`.decimal("54.5")`).
    static func decimal(_ text: String) -> JSON {
        guard let number = JSONNumber(text) else { preconditionFailure("\(text) is no JSON number") }
        return .number(number)
    }
}

import EntityModel
import Foundation
import NGSILD

/// Resolves a request's `@context` into its active context (§2.3, §2.4), remembering the last
/// contexts built so that a batch of 10,000 entities with the same `@context` builds it once.
actor NGSILDContexts {
    private let processor: ContextProcessor
    private var cache: [String: ActiveContext] = [:]
    private var order: [String] = []
    private let capacity: Int

    init(loader: any ContextLoader, capacity: Int = 256) {
        self.processor = ContextProcessor(loader: loader)
        self.capacity = capacity
    }

    /// The active context of a `@context` value (nil: the core context alone).
    func activeContext(for context: JSON?) async throws(NGSILDError) -> ActiveContext {
        guard let context else { return .core }
        let key = context.serialized()
        if let cached = cache[key] { return cached }
        let active = try await processor.activeContext(for: context)
        if cache.count >= capacity, !order.isEmpty {
            cache.removeValue(forKey: order.removeFirst())
        }
        if cache.updateValue(active, forKey: key) == nil { order.append(key) }
        return active
    }
}

/// Where a request's `@context` comes from, and what its answers echo (§2.3, 6.3.6).
struct NGSILDContextSource: Sendable {
    /// The `@context` as the client gave it: the `Link` URL, or the body's `@context` value.
    let given: JSON?

    static let linkRelation = "http://www.w3.org/ns/json-ld#context"

    /// The URL of a JSON-LD context `Link` header, if the request has one (`rel` required).
    static func linkedContext(_ headers: [String]) throws(NGSILDProblem) -> String? {
        for header in headers {
            for link in header.split(separator: ",") {
                let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
                let relations = parts.dropFirst().compactMap { part -> String? in
                    guard part.lowercased().hasPrefix("rel=") else { return nil }
                    return part.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                guard relations.contains(linkRelation) else { continue }
                let url = String(target.dropFirst().dropLast())
                guard !url.isEmpty else {
                    throw NGSILDProblem(.badRequestData, "Link: the JSON-LD context link names no URL")
                }
                return url
            }
        }
        return nil
    }

    /// The `@context` members of an ld+json answer: what the client gave, else the versioned core URL.
    var echoed: JSON {
        switch given {
        case .string(let url)?: return .array([.string(url)])
        case let value?: return value
        case nil: return .array([.string(CoreContext.versionedURL)])
        }
    }

    /// The context `Link` header of a json answer: the client's Link URL, else the core URL.
    var linkHeader: String {
        let url: String
        if case .string(let given)? = given { url = given } else { url = CoreContext.versionedURL }
        return "<\(url)>; rel=\"\(Self.linkRelation)\"; type=\"application/ld+json\""
    }
}

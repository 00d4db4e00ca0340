/// The one error type of the ``NGSILD`` target: what went wrong, in words fit for the client.
///
/// The NGSI-LD adapter maps ``code`` to its ProblemDetails in one place:
/// ``Code/contextNotAvailable`` to 504 LdContextNotAvailable, every other code to 400 BadRequestData.
///
/// ```swift
/// do {
///     let context = try await processor.activeContext(for: "https://example.org/ctx.jsonld")
/// } catch let error where error.code == .contextNotAvailable {
///     print(error.url ?? "", error.message)   // https://example.org/ctx.jsonld: ...
/// }
/// ```
public struct NGSILDError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A remote `@context` could not be obtained: not preloaded, unreachable, too slow, too large,
        /// not JSON, or without an `@context` member. ``NGSILDError/url`` names it.
        case contextNotAvailable
        /// A `@context` is not a valid JSON-LD context for NGSI-LD: a bad term definition, a scoped
        /// context, a cycle of context references, too deep a nesting of references.
        case invalidContext
        /// A document or name cannot be expanded: a type that expands to a JSON-LD keyword, a name
        /// that expands to no IRI, `id` given twice, a member of the wrong JSON type.
        case invalidDocument
        case badRequestData
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong, e.g. `term "speed": @type must be a string`.
    public let message: String
    /// The context URL concerned, when there is one (always for ``Code/contextNotAvailable``).
    public let url: String?

    /// Creates an error; `url` names the context document concerned, if any.
    public init(_ code: Code, _ message: String, url: String? = nil) {
        self.code = code
        self.message = message
        self.url = url
    }

    /// The message, after the URL when there is one.
    public var description: String {
        guard let url else { return message }
        return "\(url): \(message)"
    }
}

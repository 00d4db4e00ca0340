/// The one error type of ``EntityService``: what went wrong, in words fit for the caller.
///
/// Each protocol adapter maps the ``code`` to its own status and error body in exactly one place.
public struct EntityError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The query could not be parsed or does not fit the schema (bad RQL, wrong literal type).
        case invalidQuery
        /// The request is malformed in another way (bad limit, bad id, body of the wrong shape).
        case invalidRequest
        /// The collection, entity or action does not exist (or the caller may not know it does).
        case notFound
        /// The values break the schema: missing required fields, wrong types, unknown fields.
        case validationFailed
        /// An entity with the given id already exists.
        case duplicateID
        /// The entity changed concurrently, or it still has nested entities.
        case conflict
        /// The caller's expected version (`If-Match`) is not the current one.
        case versionMismatch
        /// An action's `when` precondition does not hold for the entity.
        case actionConditionFailed
        /// An idempotency key was sent again with a different request.
        case idempotencyKeyReused
        /// The request needs a signed-in caller, or its credentials are unknown, revoked or expired.
        case unauthenticated
        /// The caller may not do this (and may know that the target exists).
        case forbidden
        /// Too many attempts (failed logins); ``EntityError/retryAfter`` says when to try again.
        case rateLimited
        /// A sync cursor of another store, or older than the feed keeps: pull again without one.
        case cursorExpired
        /// The store cannot be reached right now.
        case unavailable
        /// An unexpected failure; details are logged, not shown.
        case `internal`
    }

    public let code: Code
    /// One message per problem, e.g. `price: expected a number, found string` or
    /// `item 2: name: required field is missing`.
    public let messages: [String]
    /// For ``Code/rateLimited`` and ``Code/unavailable``: whole seconds after which a retry may succeed.
    public var retryAfter: Int?

    public init(_ code: Code, _ messages: [String], retryAfter: Int? = nil) {
        self.code = code
        self.messages = messages
        self.retryAfter = retryAfter
    }

    public init(_ code: Code, _ message: String, retryAfter: Int? = nil) {
        self.init(code, [message], retryAfter: retryAfter)
    }

    public var description: String { messages.joined(separator: "; ") }

    /// The same error with every message prefixed by the batch item it concerns.
    func forItem(_ index: Int) -> EntityError {
        EntityError(code, messages.map { "item \(index): \($0)" }, retryAfter: retryAfter)
    }
}

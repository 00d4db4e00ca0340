import EntityModel
import EntityQuery
import Foundation

/// Reading operation parameters: from the JSON body for actions, from the query string for functions.
extension RESTRequest {
    /// An action's parameters: the members of the JSON object body (none without a body). An action
    /// that declares no parameters ignores its body, as it always did: Connect clients send a free
    /// payload (`{"note": …}`) with any action.
    func actionParameters(declared: [String: FieldSchema]) async throws(RESTError) -> [String: JSON] {
        guard !declared.isEmpty, let body = try await jsonBody() else { return [:] }
        guard case .object(let members) = body else {
            throw RESTError(.badRequest, "INVALID_REQUEST", "an action's body is a JSON object of its parameters")
        }
        return members
    }

    /// A function's parameters and the RQL of the rest of the query string. A part `name=value`
    /// whose name is a parameter of `declared` is that parameter, its value typed like RQL values
    /// by the declared type (`max=3` → the number 3; JSON for object and array parameters); with
    /// `allParts`, every `name=value` part is a parameter (a resource function takes no RQL).
    func functionInput(declared: [String: FieldSchema], allParts: Bool) throws(RESTError)
        -> (parameters: [String: JSON], rql: RQLRequest)
    {
        var parameters: [String: JSON] = [:]
        var rest: [Substring] = []
        for part in Self.topLevelParts(of: request.uri.query ?? "") {
            guard let equals = part.firstIndex(of: "="), !part[..<equals].contains("("),
                let name = String(part[..<equals]).removingPercentEncoding,
                allParts || declared[name] != nil
            else {
                rest.append(part)
                continue
            }
            let text = String(part[part.index(after: equals)...]).removingPercentEncoding ?? ""
            parameters[name] = try Self.typed(text, as: declared[name], name: name)
        }
        do {
            return (parameters, try RQLParser().parse(queryString: rest.joined(separator: "&")))
        } catch {
            throw RESTError(.badRequest, "INVALID_RQL", "query: \(error.description)")
        }
    }

    /// The parts of a query string split at each `&` outside parentheses.
    private static func topLevelParts(of query: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = query.startIndex
        for index in query.indices {
            switch query[index] {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case "&" where depth == 0:
                parts.append(query[start..<index])
                start = query.index(after: index)
            default: break
            }
        }
        parts.append(query[start...])
        return parts.filter { !$0.isEmpty }
    }

    private static func typed(_ text: String, as field: FieldSchema?, name: String) throws(RESTError) -> JSON {
        guard let field else { return .string(text) }
        switch field.type {
        case .object, .array:
            guard let value = try? JSON(parsing: text) else {
                throw RESTError(
                    .badRequest,
                    "INVALID_REQUEST",
                    "parameter \(name): expected JSON \(field.type.article)"
                )
            }
            return value
        default:
            do {
                return try QueryValue.literal(text, quoted: false).typed(as: field.type, field: FieldPath([name]))
                    .inferred
            } catch {
                throw RESTError(
                    .badRequest,
                    "INVALID_REQUEST",
                    "parameter \(name): '\(text)' is not \(field.type.article)"
                )
            }
        }
    }
}

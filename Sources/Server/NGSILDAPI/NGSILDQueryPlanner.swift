import EntityModel
import EntityQuery
import NGSILD

/// Turns a query's selection into one `Filter` over the stored documents (§5.2–5.4), refusing
/// queries that are too wide, linked-entity paths and malformed expressions with BadRequestData.
struct NGSILDQueryPlanner: Sendable {
    let context: ActiveContext

    /// Names that are members of entities or instances, never attributes to select by (§5.2).
    static let systemNames: Set<String> = ["id", "type", "createdAt", "modifiedAt", "deletedAt", "scope"]

    func filter(for selection: NGSILDSelection) throws(NGSILDProblem) -> Filter {
        let parser = NGSILDQueryParser()
        let translator = makeTranslator()
        var conditions: [Filter] = [NGSILDFilterTranslator.isNGSILDEntity]
        var selectsAllTypes = false
        var hasType = false
        var alternatives: [Filter] = []
        for info in selection.entities {
            var parts: [Filter] = []
            if let types = info.types {
                hasType = true
                if types == "*" {
                    selectsAllTypes = true
                } else {
                    let selection = try parsed { () throws(NGSILDQueryError) in try parser.parseTypeSelection(types) }
                    parts.append(try translated { () throws(NGSILDError) in try translator.filter(for: selection) })
                }
            }
            if let ids = info.ids {
                for id in ids where !NGSILDSyntax.isEntityId(id) {
                    throw NGSILDProblem(.badRequestData, "id: '\(id)' is not a URI")
                }
                parts.append(translator.filter(forIDs: ids))
            } else if let idPattern = info.idPattern {
                let pattern = try parsed { () throws(NGSILDQueryError) in try parser.parsePattern(idPattern) }
                parts.append(translator.filter(forIDPattern: pattern))
            }
            alternatives.append(.and(parts))
        }
        if !alternatives.isEmpty { conditions.append(.or(alternatives)) }
        if selectsAllTypes, selection.local == false {
            throw NGSILDProblem(.badRequestData, "type: '*' selects every local entity and cannot go with local=false")
        }
        var namesAttributes = false
        if let attrs = selection.attrs {
            if let name = attrs.first(where: { $0 == "id" || $0 == "type" }) {
                throw NGSILDProblem(.badRequestData, "attrs: '\(name)' is not an attribute")
            }
            let names = attrs.filter { !Self.systemNames.contains($0) }
            namesAttributes = !names.isEmpty
            if !names.isEmpty {
                let stored = try names.map { name throws(NGSILDProblem) in try storedAttributeName(name) }
                conditions.append(.or(stored.map { .isNull(FieldPath([$0]), negated: true) }))
            }
        }
        if let q = selection.q {
            let query = try parsed { () throws(NGSILDQueryError) in try parser.parseQuery(q) }
            if query.terms.contains(where: { !Self.systemNames.contains($0.attribute.name) }) { namesAttributes = true }
            conditions.append(try translated { () throws(NGSILDError) in try translator.filter(for: query) })
        }
        if let scopeQ = selection.scopeQ {
            let query = try parsed { () throws(NGSILDQueryError) in try parser.parseScopeQuery(scopeQ) }
            conditions.append(translator.filter(for: query))
        }
        guard hasType || namesAttributes || selection.local == true else {
            throw NGSILDProblem(
                .badRequestData,
                "the query is too wide: give type, attrs, q (on an attribute) or local=true"
            )
        }
        return .and(conditions)
    }

    /// The stored key of an attribute name written with the request's context.
    func storedAttributeName(_ name: String) throws(NGSILDProblem) -> String {
        do { return try NGSILDEntityReader(context: context).storedAttributeName(name) } catch {
            throw NGSILDProblem(error)
        }
    }

    /// The stored form of an entity type name written with the request's context.
    func storedTypeName(_ name: String) throws(NGSILDProblem) -> String {
        do { return try NGSILDEntityReader(context: context).storedTypeName(name) } catch { throw NGSILDProblem(error) }
    }

    private func makeTranslator() -> NGSILDFilterTranslator {
        let reader = NGSILDEntityReader(context: context)
        return NGSILDFilterTranslator(
            storedAttributeName: { name throws(NGSILDError) in try reader.storedAttributeName(name) },
            storedTypeName: { name throws(NGSILDError) in try reader.storedTypeName(name) }
        )
    }

    private func parsed<T>(_ body: () throws(NGSILDQueryError) -> T) throws(NGSILDProblem) -> T {
        do { return try body() } catch { throw NGSILDProblem(error) }
    }

    private func translated<T>(_ body: () throws(NGSILDError) -> T) throws(NGSILDProblem) -> T {
        do { return try body() } catch { throw NGSILDProblem(error) }
    }
}

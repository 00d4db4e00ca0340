import EntityModel
import EntityQuery

/// The opaque `$skiptoken` of a next link: the sort values and id of the last entity of the page
/// (keyset paging: stable while others insert), or, where a sort key has no declared type to
/// order by, the offset of the next page.
enum ODataSkipToken: Sendable, Equatable {
    case after(values: [JSON], id: String)
    case offset(Int)

    var text: String {
        var output: [UInt8] = []
        switch self {
        case .after(let values, let id): JSON.object(["v": .array(values), "i": .string(id)]).write(into: &output)
        case .offset(let offset): JSON.object(["o": .integer(Int64(offset))]).write(into: &output)
        }
        return Base64URL.encode(output)
    }

    init(text: String, sortKeyCount: Int) throws(ODataError) {
        guard let bytes = Base64URL.decode(text), let json = try? JSON(parsing: bytes) else {
            throw ODataError(.badRequest, "$skiptoken is not one this service wrote", target: "$skiptoken")
        }
        if case .integer(let offset)? = json["o"], offset >= 0 {
            self = .offset(Int(offset))
        } else if let values = json["v"]?.arrayValue, values.count == sortKeyCount, let id = json["i"]?.stringValue {
            self = .after(values: values, id: id)
        } else {
            throw ODataError(.badRequest, "$skiptoken does not fit this query's $orderby", target: "$skiptoken")
        }
    }

    init(after values: [JSON], id: String) {
        self = .after(values: values, id: id)
    }

    /// The entities after `values`/`id` in the order of `keys` (then `id` ascending), with nulls
    /// first in ascending keys and last in descending ones, as the stores order them.
    static func filter(after values: [JSON], id: String, keys: [SortKey]) -> Filter {
        var alternatives: [Filter] = []
        var equalSoFar: [Filter] = []
        for (key, value) in zip(keys, values) {
            alternatives.append(.and(equalSoFar + [beyond(key, value)]))
            equalSoFar.append(
                value == .null ? .isNull(key.path, negated: false) : .compare(key.path, .eq, .json(value))
            )
        }
        alternatives.append(.and(equalSoFar + [.compare(FieldPath(["id"]), .gt, .json(.string(id)))]))
        return .or(alternatives)
    }

    private static func beyond(_ key: SortKey, _ value: JSON) -> Filter {
        switch (key.descending, value) {
        case (false, .null): return .isNull(key.path, negated: true)
        case (false, _): return .compare(key.path, .gt, .json(value))
        case (true, .null): return .or([])
        case (true, _): return .or([.compare(key.path, .lt, .json(value)), .isNull(key.path, negated: false)])
        }
    }
}

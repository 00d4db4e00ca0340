extension ODataTranslator {
    /// Argument types and result type of each canonical function EntityHub runs.
    private static let signatures: [String: (arguments: [[ODataValueType]], result: ODataValueType)] = [
        "tolower": ([[.string]], .string), "toupper": ([[.string]], .string), "trim": ([[.string]], .string),
        "length": ([[.string]], .integer), "indexof": ([[.string], [.string]], .integer),
        "substring": ([[.string], [.integer], [.integer]], .string), "concat": ([[.string], [.string]], .string),
        "year": ([[.date, .dateTimeOffset]], .integer), "month": ([[.date, .dateTimeOffset]], .integer),
        "day": ([[.date, .dateTimeOffset]], .integer), "hour": ([[.dateTimeOffset, .timeOfDay]], .integer),
        "minute": ([[.dateTimeOffset, .timeOfDay]], .integer), "second": ([[.dateTimeOffset, .timeOfDay]], .integer),
        "fractionalseconds": ([[.dateTimeOffset, .timeOfDay]], .decimal), "date": ([[.dateTimeOffset]], .date),
        "time": ([[.dateTimeOffset]], .timeOfDay), "totaloffsetminutes": ([[.dateTimeOffset]], .integer),
        "now": ([], .dateTimeOffset), "mindatetime": ([], .dateTimeOffset), "maxdatetime": ([], .dateTimeOffset),
        "round": ([[.decimal]], .decimal), "floor": ([[.decimal]], .decimal), "ceiling": ([[.decimal]], .decimal),
    ]

    /// A canonical function call as a value.
    func callValue(_ name: String, _ arguments: [ODataExpression], in scope: Scope, at position: Int)
        throws(ODataQueryError) -> ODataTypedValue
    {
        guard let function = ScalarFunction(rawValue: name), let signature = Self.signatures[name] else {
            throw unsupported("\(name)()", at: position)
        }
        var values: [ODataTypedValue] = []
        for (index, argument) in arguments.enumerated() {
            let value = try typedValue(argument, in: scope)
            try expect(value, signature.arguments[min(index, signature.arguments.count - 1)], "\(name)()")
            values.append(value)
        }
        var result = signature.result
        if ["round", "floor", "ceiling"].contains(name), let first = values.first, first.type == .integer {
            result = .integer
        }
        return try combine(values, .call(function, values.map(\.expression)), result, at: position)
    }
}

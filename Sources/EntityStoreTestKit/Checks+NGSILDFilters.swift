import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    static let regexFindsMatchesInStringsOnly = ConformanceCheck("regexFindsMatchesInStringsOnly") { makeStore in
        let store = try await ngsildStore(makeStore)
        try await expectNGSILD(store, .regex("name.value", "Tower"), ["b1", "b2"])
        // `$` is the very end (not before a final line break); `.` matches a line break.
        try await expectNGSILD(store, .regex("name.value", "Tower$"), ["b1"])
        try await expectNGSILD(store, .regex("name.value", "Tower.$"), ["b2"])
        try await expectNGSILD(store, .regex("name.value", "^Eiffel"), ["b1"])
        try await expectNGSILD(store, .regex("name.value", "^eiffel"), [])
        try await expectNGSILD(store, .regex("name.value", "^(Eiffel|Pisa) T[a-z]+"), ["b1", "b2"])
        try await expectNGSILD(store, .regex("name.value", "[[:digit:]]"), [])
        try await expectNGSILD(store, .regex("name.value", "^.{12}$"), ["b1"])
        // Numbers, null, arrays and objects are not strings.
        try await expectNGSILD(store, .regex("name.value", "."), ["b1", "b2"])
        try await expectNGSILD(store, .regex("type", "^Build"), ["b1"])
        try await expectNGSILD(store, .regex("name", "."), [])
        try await expectNGSILD(store, .regex("id", "^b[13]$"), ["b1", "b3"])
        try await expectNGSILD(store, .not(.regex("name.value", "Tower")), ["b3", "b4"])
        try await expectNGSILD(store, .regex("weird", "k"), [])
    }

    static let anyElementTriesArraysScalarsAndMembers = ConformanceCheck("anyElementTriesArraysScalarsAndMembers") {
        makeStore in
        let store = try await ngsildStore(makeStore)
        let all = ngsildDocuments.map(\.0)
        // Instances: an array of them, or one instance as an object.
        try await expectNGSILD(
            store,
            .anyElement("speed", .arrayElements, where: .compare("value", .gt, lit("54"))),
            ["b1"]
        )
        try await expectNGSILD(
            store,
            .anyElement("speed", .arrayElements, where: .compare("value", .eq, lit("30"))),
            ["b2"]
        )
        try await expectNGSILD(store, .anyElement("speed", .arrayElements, where: .and([])), ["b1", "b2", "b3"])
        try await expectNGSILD(store, .not(.anyElement("speed", .arrayElements, where: .and([]))), ["b4"])
        try await expectNGSILD(store, .anyElement("nothing", .arrayElements, where: .not(.and([]))), [])
        try await expectNGSILD(store, .anyElement("nothing", .arrayElements, where: .isNull(.root, negated: false)), [])
        // A JSON null is present: one element.
        try await expectNGSILD(
            store,
            .anyElement("name", .arrayElements, where: .isNull(.root, negated: false)),
            ["b4"]
        )
        // Instances, then elements of their value (nested).
        let atLeast = { (bound: String) in
            Filter.anyElement(
                "speed",
                .arrayElements,
                where: .anyElement("value", .arrayElements, where: .compare(.root, .ge, lit(bound)))
            )
        }
        try await expectNGSILD(store, atLeast("60"), ["b3"])
        try await expectNGSILD(store, atLeast("55"), ["b1", "b3"])
        try await expectNGSILD(store, .not(atLeast("55")), ["b2", "b4"])
        try await expectNGSILD(
            store,
            .anyElement("tags.value", .arrayElements, where: .compare(.root, .eq, lit("red"))),
            ["b1"]
        )
        try await expectNGSILD(
            store,
            .anyElement(
                "tags.value",
                .arrayElements,
                where: .anyElement(.root, .arrayElements, where: .compare(.root, .eq, lit("red")))
            ),
            ["b1", "b2"]
        )
        // A string element is a string, even when it holds JSON text.
        try await expectNGSILD(store, .anyElement("weird", .arrayElements, where: .compare("k", .eq, lit("1"))), [])
        try await expectNGSILD(store, .anyElement("weird", .arrayElements, where: .compare("k", .eq, lit("2"))), ["b4"])
        try await expectNGSILD(store, .anyElement("weird", .arrayElements, where: .regex(.root, "k")), ["b4"])
        // Sub-attributes of an instance.
        try await expectNGSILD(
            store,
            .anyElement(
                "airQualityLevel",
                .arrayElements,
                where: .compare("hasWeatherObserved.object", .eq, quoted("urn:ngsi-ld:Sensor:43a1"))
            ),
            ["b1"]
        )
        // Member values: a language map; nothing for arrays, scalars or missing members.
        let label = { (filter: Filter) in Filter.anyElement("label.languageMap", .memberValues, where: filter) }
        try await expectNGSILD(store, label(.compare(.root, .eq, lit("Tour"))), ["b1"])
        try await expectNGSILD(store, label(.regex(.root, "^T")), ["b1"])
        try await expectNGSILD(store, label(.not(.regex(.root, "^T"))), ["b2"])
        try await expectNGSILD(store, .anyElement("speed", .memberValues, where: .and([])), ["b2"])
        try await expectNGSILD(store, .anyElement("name.value", .memberValues, where: .and([])), [])
        // The document's member values include `id` and `_meta`; `_meta`'s are its fields.
        try await expectNGSILD(store, .anyElement(.root, .memberValues, where: .compare(.root, .eq, lit("b3"))), ["b3"])
        try await expectNGSILD(store, .anyElement(.root, .memberValues, where: .regex("value", "^Pisa")), ["b2"])
        try await expectNGSILD(store, .anyElement("_meta", .memberValues, where: .compare(.root, .eq, lit("1"))), all)
        try await expectNGSILD(store, .anyElement("id", .arrayElements, where: .compare(.root, .eq, lit("b2"))), ["b2"])
    }

    static let dateTimesCompareInTimeOrder = ConformanceCheck("dateTimesCompareInTimeOrder") { makeStore in
        let store = try await ngsildStore(makeStore)
        let instant = { (text: String) in ISO8601Instant(text)! }
        let observed = FieldPath("airQualityLevel.observedAt")
        let fourForty = instant("2020-09-09T16:40:00Z")
        try await expectNGSILD(store, .dateTime(observed, .eq, fourForty), ["b1"])
        try await expectNGSILD(store, .dateTime(observed, .lt, fourForty), ["b2"])
        try await expectNGSILD(store, .dateTime(observed, .le, fourForty), ["b1", "b2"])
        try await expectNGSILD(store, .dateTime(observed, .gt, instant("2020-09-09T16:39:59.999Z")), ["b1"])
        try await expectNGSILD(store, .dateTime(observed, .ge, instant("2020-09-09T18:39:59.999+02:00")), ["b1", "b2"])
        // `ne` is the negation of `eq`: true for missing fields and for instances in an array.
        try await expectNGSILD(store, .dateTime(observed, .ne, fourForty), ["b2", "b3", "b4"])
        try await expectNGSILD(store, .not(.dateTime(observed, .ne, fourForty)), ["b1"])
        let later = Filter.dateTime("observedAt", .gt, fourForty)
        try await expectNGSILD(store, .anyElement("airQualityLevel", .arrayElements, where: later), ["b3"])
        // Offsets and fraction digits.
        try await expectNGSILD(store, .dateTime("when", .eq, instant("2020-09-09T18:40:00+02:00")), ["b4"])
        try await expectNGSILD(store, .dateTime("when", .eq, instant("2020-09-09T12:40:00.000-04:00")), ["b4"])
        try await expectNGSILD(store, .dateTime("when", .lt, instant("2020-09-09T16:40:00.0000001Z")), ["b4"])
        try await expectNGSILD(store, .dateTime("when", .gt, instant("2020-09-09T16:39:59.9999999999Z")), ["b4"])
        try await expectNGSILD(store, .dateTime("long", .gt, instant("2020-09-09T16:40:00.123456789012Z")), ["b4"])
        try await expectNGSILD(store, .dateTime("long", .lt, instant("2020-09-09T16:40:00.12345678901231Z")), ["b4"])
        try await expectNGSILD(store, .dateTime("early", .lt, instant("0001-01-01T00:00:00Z")), ["b4"])
        // Not date-times: impossible dates, no offset, other strings, numbers, objects.
        for field in ["impossible", "local", "name.value", "airQualityLevel.value", "name", "missing"] {
            try await expectNGSILD(
                store,
                .dateTime(FieldPath(dotted: field)!, .lt, instant("9999-12-31T23:59:59Z")),
                []
            )
            try await expectNGSILD(
                store,
                .dateTime(FieldPath(dotted: field)!, .gt, instant("0001-01-01T00:00:00Z")),
                []
            )
        }
        // Metadata timestamps are date-times too.
        try await expectNGSILD(
            store,
            .dateTime("_meta.created", .eq, instant("2023-11-14T22:13:20Z")),
            ["b1", "b2", "b3", "b4"]
        )
        try await expectNGSILD(store, .dateTime("_meta.version", .ne, fourForty), ["b1", "b2", "b3", "b4"])
    }

    /// Fails unless both the store and the ``Evaluator`` find exactly `expected` among ``ngsildDocuments``.
    private static func expectNGSILD(
        _ store: any EntityStore,
        _ filter: Filter,
        _ expected: [String],
        file: StaticString = #filePath,
        line: UInt = #line
    ) async throws {
        let evaluated = ngsildDocuments.filter { id, text in
            Evaluator.matches(filter, entity(id, object(text)).document)
        }
        try expectEqual(evaluated.map(\.0), expected, "the Evaluator's ids matching \(filter)", file: file, line: line)
        try await expectIDs(store, filter, expected, file: file, line: line)
    }
}

import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// The functions of ``ScalarFunction`` in SQL, on `jsonb` operands read once each (see
/// ``FilterCompiler/binding(_:_:)``); `null` for wrong arguments, as in the ``Evaluator``.
extension FilterCompiler {
    static func call(_ function: ScalarFunction, _ arguments: [SQLFragment]) -> SQLFragment {
        switch (function, arguments.count) {
        case (.now, 0):
            // One instant for the whole query, as the Evaluator formats it.
            return SQLFragment.bind(.text(JSONB.text(.string(Timestamp.format(Date())))), "::jsonb")
        case (.mindatetime, 0): return SQLFragment(#"'"0001-01-01T00:00:00Z"'::jsonb"#)
        case (.maxdatetime, 0): return SQLFragment(#"'"9999-12-31T23:59:59.999Z"'::jsonb"#)
        case (.tolower, 1), (.toupper, 1), (.trim, 1), (.length, 1):
            return binding(arguments) { names in stringFunction(function, text(names[0])) }
        case (.indexof, 2), (.concat, 2):
            return binding(arguments) { names in
                let (a, b) = (text(names[0]), text(names[1]))
                return SQLFragment(function == .indexof ? "to_jsonb(strpos(\(a), \(b)) - 1)" : "to_jsonb(\(a) || \(b))")
            }
        case (.substring, 2), (.substring, 3):
            return binding(arguments) { names in
                let start = "(\(position(names[1])) + 1)"
                let count = names.count == 3 ? ", \(position(names[2]))" : ""
                let known =
                    names.count == 3
                    ? "\(position(names[1])) IS NOT NULL AND \(position(names[2])) IS NOT NULL"
                    : "\(position(names[1])) IS NOT NULL"
                return SQLFragment("CASE WHEN \(known) THEN to_jsonb(substr(\(text(names[0])), \(start)\(count))) END")
            }
        case (.round, 1), (.floor, 1), (.ceiling, 1):
            return binding(arguments) { names in
                let number = numeric(names[0])
                let sqlFunction = function == .round ? "round" : function == .floor ? "floor" : "ceil"
                return SQLFragment(
                    "CASE WHEN scale(\(number)) = 0 THEN to_jsonb(\(number))"
                        + " ELSE to_jsonb(\(sqlFunction)(\(number)) + 0.0) END"
                )
            }
        case (.year, 1), (.month, 1), (.day, 1), (.hour, 1), (.minute, 1), (.second, 1), (.fractionalseconds, 1),
            (.date, 1), (.time, 1), (.totaloffsetminutes, 1):
            return binding(arguments) { names in
                SQLFragment("(SELECT \(dateFunction(function)) FROM (SELECT \(text(names[0])) AS t) AS entityhub_date)")
            }
        default:
            return SQLFragment("NULL::jsonb")
        }
    }

    private static func stringFunction(_ function: ScalarFunction, _ text: String) -> SQLFragment {
        let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        switch function {
        case .tolower: return SQLFragment("to_jsonb(translate(\(text), '\(upper)', '\(upper.lowercased())'))")
        case .toupper: return SQLFragment("to_jsonb(translate(\(text), '\(upper.lowercased())', '\(upper)'))")
        case .trim: return SQLFragment("to_jsonb(btrim(\(text), ' '))")
        default: return SQLFragment("to_jsonb(char_length(\(text)))")
        }
    }

    /// An integer argument (scale 0) as an `int` position or count: negative as 0, at most 10⁹.
    private static func position(_ name: String) -> String {
        let number = numeric(name)
        return "(CASE WHEN scale(\(number)) = 0 THEN least(greatest(\(number), 0), 1000000000)::int END)"
    }

    /// The date shape `YYYY-MM-DD`; the day of the month is checked separately.
    private static let dateShape = "'^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'"

    /// Whether the first ten characters of `t` (already of a date shape) name an existing day.
    private static let dayExists = """
        substr(t, 1, 4) <> '0000' AND substr(t, 9, 2)::int <= (CASE substr(t, 6, 2) \
        WHEN '02' THEN (CASE WHEN (substr(t, 1, 4)::int % 4 = 0 AND substr(t, 1, 4)::int % 100 <> 0) \
        OR substr(t, 1, 4)::int % 400 = 0 THEN 29 ELSE 28 END) \
        WHEN '04' THEN 30 WHEN '06' THEN 30 WHEN '09' THEN 30 WHEN '11' THEN 30 ELSE 31 END)
        """

    /// The date-time function of the text `t`: `NULL` unless `t` is a date-time or a date.
    private static func dateFunction(_ function: ScalarFunction) -> String {
        let fraction = "substring(t FROM '^.{19}([.][0-9]+)')"
        let offset =
            "(CASE WHEN right(t, 1) = 'Z' THEN 0 ELSE (CASE WHEN substr(t, length(t) - 5, 1) = '-' THEN -1 ELSE 1 END)"
            + " * (substr(t, length(t) - 4, 2)::int * 60 + substr(t, length(t) - 1, 2)::int) END)"
        let (onDateTime, onDate): (String, String)
        switch function {
        case .year: (onDateTime, onDate) = ("to_jsonb(substr(t, 1, 4)::int)", "to_jsonb(substr(t, 1, 4)::int)")
        case .month: (onDateTime, onDate) = ("to_jsonb(substr(t, 6, 2)::int)", "to_jsonb(substr(t, 6, 2)::int)")
        case .day: (onDateTime, onDate) = ("to_jsonb(substr(t, 9, 2)::int)", "to_jsonb(substr(t, 9, 2)::int)")
        case .hour: (onDateTime, onDate) = ("to_jsonb(substr(t, 12, 2)::int)", "to_jsonb(0)")
        case .minute: (onDateTime, onDate) = ("to_jsonb(substr(t, 15, 2)::int)", "to_jsonb(0)")
        case .second: (onDateTime, onDate) = ("to_jsonb(substr(t, 18, 2)::int)", "to_jsonb(0)")
        case .fractionalseconds:
            (onDateTime, onDate) = ("to_jsonb(COALESCE(('0' || \(fraction))::numeric, 0.0))", "to_jsonb(0.0)")
        case .date: (onDateTime, onDate) = ("to_jsonb(substr(t, 1, 10))", "to_jsonb(t)")
        case .time:
            (onDateTime, onDate) = (
                "to_jsonb(substr(t, 12, 8) || COALESCE(\(fraction), ''))", "to_jsonb('00:00:00'::text)"
            )
        default: (onDateTime, onDate) = ("to_jsonb(\(offset))", "to_jsonb(0)")
        }
        // Nested CASEs: the casts run only after the shape checks.
        return "CASE WHEN t ~ \(dateTimeShape) THEN (CASE WHEN \(dayExists) THEN \(onDateTime) END)"
            + " WHEN t ~ \(dateShape) THEN (CASE WHEN \(dayExists) THEN \(onDate) END) END"
    }
}

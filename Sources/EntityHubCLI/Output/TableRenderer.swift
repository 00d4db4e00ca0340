import EntityModel

/// Renders JSON objects as a text table for a terminal.
///
/// Cells are plain text (strings as they are, numbers and booleans as JSON text, arrays and objects as
/// compact JSON, `null` and missing values empty); line breaks and tabs inside a cell become spaces. Each
/// column is as wide as its widest cell, at most ``maximumColumnWidth``; when the table is wider than
/// ``maximumWidth`` the widest columns shrink and their cells are cut with `…`. Numbers are right-aligned.
/// Widths count `Character`s, which is right for most text (not for wide CJK characters or emoji).
///
/// ```swift
/// let table = TableRenderer(columns: ["id", "name", "price"], maximumWidth: 80)
/// print(table.render([["id": "P1", "name": "Widget", "price": 19]]), terminator: "")
/// // id  name    price
/// // ──  ──────  ─────
/// // P1  Widget     19
/// ```
struct TableRenderer: Sendable {
    /// The columns, as dot paths; empty means ``columns(for:)`` of the rendered objects.
    var columns: [String]
    /// The widest a line may be (the terminal's width).
    var maximumWidth: Int
    /// The widest a column may be before the table is fitted to ``maximumWidth``.
    var maximumColumnWidth: Int
    /// The narrowest a column is made when fitting the table.
    static let minimumColumnWidth = 3
    /// The spaces between two columns.
    static let gap = "  "

    /// A renderer of `columns` (or derived ones when empty) for a terminal `maximumWidth` wide.
    init(columns: [String] = [], maximumWidth: Int = 80, maximumColumnWidth: Int = 40) {
        self.columns = columns
        self.maximumWidth = maximumWidth
        self.maximumColumnWidth = max(1, maximumColumnWidth)
    }

    /// The columns of a table of `objects`: `id` first, then the other top-level keys in first-seen order
    /// (each object's keys sorted), without `_meta`.
    static func columns(for objects: [JSON]) -> [String] {
        var keys: [String] = []
        var seen: Set<String> = ["_meta"]
        for object in objects {
            guard case .object(let members) = object else { continue }
            for key in members.keys.sorted() where seen.insert(key).inserted { keys.append(key) }
        }
        if let position = keys.firstIndex(of: "id"), position > 0 {
            keys.remove(at: position)
            keys.insert("id", at: 0)
        }
        return keys
    }

    /// The distinct first parts of dot-path `columns`, in order: `["id", "address.city", "address.zip"]`
    /// gives `["id", "address"]` (a table shows nested objects as JSON in one column).
    static func topLevelColumns(_ columns: [String]) -> [String] {
        var seen: Set<String> = []
        return columns.compactMap { column in
            let key = String(column.prefix { $0 != "." })
            return seen.insert(key).inserted ? key : nil
        }
    }

    /// The table of `objects`: a header row and a `─` line (when `includeHeader`), then one row per object;
    /// every line ends with `\n`. Empty when there are no columns.
    func render(_ objects: [JSON], includeHeader: Bool = true) -> String {
        let columns = resolvedColumns(for: objects)
        let cells = Self.cells(of: objects, columns: columns)
        return render(cells: cells, columns: columns, widths: widths(columns: columns, cells: cells), includeHeader)
    }

    /// The column widths ``render(_:includeHeader:)`` would use for `objects`, to render later chunks of a
    /// stream with ``render(_:widths:includeHeader:)`` in the same layout.
    func columnWidths(for objects: [JSON]) -> [Int] {
        let columns = resolvedColumns(for: objects)
        let cells = Self.cells(of: objects, columns: columns)
        return widths(columns: columns, cells: cells)
    }

    /// The table of `objects` with the given column widths (one per column; cells are cut to fit).
    func render(_ objects: [JSON], widths: [Int], includeHeader: Bool) -> String {
        let columns = resolvedColumns(for: objects)
        let cells = Self.cells(of: objects, columns: columns)
        let widths = columns.indices.map { $0 < widths.count ? max(1, widths[$0]) : Self.minimumColumnWidth }
        return render(cells: cells, columns: columns, widths: widths, includeHeader)
    }

    private func resolvedColumns(for objects: [JSON]) -> [String] {
        columns.isEmpty ? Self.columns(for: objects) : columns
    }

    private func render(
        cells: [[Cell]],
        columns: [String],
        widths: [Int],
        _ includeHeader: Bool
    ) -> String {
        guard !columns.isEmpty else { return "" }
        var lines: [String] = []
        if includeHeader {
            let numeric = columns.indices.map { index in
                cells.contains { !$0[index].text.isEmpty }
                    && cells.allSatisfy { $0[index].isNumber || $0[index].text.isEmpty }
            }
            let header = zip(columns, numeric).map { Cell(text: $0, isNumber: $1) }
            lines.append(Self.line(header, widths: widths))
            lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: Self.gap))
        }
        for row in cells { lines.append(Self.line(row, widths: widths)) }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Each column's width: its widest cell (header included) up to the cap, then fitted to the terminal.
    private func widths(columns: [String], cells: [[Cell]]) -> [Int] {
        var widths = columns.indices.map { index in
            let widest = cells.reduce(columns[index].count) { max($0, $1[index].text.count) }
            return min(max(1, widest), maximumColumnWidth)
        }
        var total = widths.reduce(Self.gap.count * max(0, widths.count - 1), +)
        while total > maximumWidth, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
            widths[widest] > Self.minimumColumnWidth
        {
            widths[widest] -= 1
            total -= 1
        }
        return widths
    }

    /// One line of cells padded (or cut) to `widths`, without trailing spaces.
    private static func line(_ cells: [Cell], widths: [Int]) -> String {
        var line = ""
        for (index, (cell, width)) in zip(cells, widths).enumerated() {
            if index > 0 { line += gap }
            let text = truncated(cell.text, to: width)
            let padding = String(repeating: " ", count: width - text.count)
            line += cell.isNumber ? padding + text : text + padding
        }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// `text` cut to `width` characters, ending with `…` when cut.
    static func truncated(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        return width <= 1 ? "…" : text.prefix(width - 1) + "…"
    }

    /// The text shown for a value (see the type's documentation).
    static func cellText(_ value: JSON?) -> Cell {
        switch value {
        case nil, .null: return Cell(text: "", isNumber: false)
        case .bool(let flag): return Cell(text: flag ? "true" : "false", isNumber: false)
        case .integer(let integer): return Cell(text: String(integer), isNumber: true)
        case .number(let number): return Cell(text: number.text, isNumber: true)
        case .string(let text): return Cell(text: flattened(text), isNumber: false)
        case .array, .object: return Cell(text: flattened(value?.serialized() ?? ""), isNumber: false)
        }
    }

    private static func flattened(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\t" }) else { return text }
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    /// The cells of each object under `columns` (dot paths).
    private static func cells(of objects: [JSON], columns: [String]) -> [[Cell]] {
        let paths = columns.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
        return objects.map { object in paths.map { cellText(object.value(at: $0)) } }
    }

    /// The text of one cell and whether it is a number (right-aligned).
    struct Cell: Sendable, Hashable {
        var text: String
        var isNumber: Bool
    }
}

import EntityModel
import Testing

@testable import EntityHubCLI

@Suite struct TableRendererTests {
    static let products: [JSON] = [
        ["id": "P1", "name": "Widget", "price": 19, "_meta": ["version": 1]],
        ["id": "P22", "name": "Gadget with a long name", "price": .number(JSONNumber("1234.5") ?? JSONNumber("0")!)],
        ["name": "No price", "tags": ["a", "b"], "id": "P3"],
    ]

    @Test func rendersAHeaderASeparatorAndRightAlignedNumbers() {
        let table = TableRenderer(maximumWidth: 80).render(Self.products)
        #expect(
            table == """
                id   name                      price  tags
                ───  ───────────────────────  ──────  ─────────
                P1   Widget                       19
                P22  Gadget with a long name  1234.5
                P3   No price                         ["a","b"]

                """
        )
    }

    @Test func derivesColumnsWithIdFirstAndWithoutMeta() {
        #expect(TableRenderer.columns(for: Self.products) == ["id", "name", "price", "tags"])
        #expect(
            TableRenderer.topLevelColumns(["id", "address.city", "address.zip", "name"]) == ["id", "address", "name"]
        )
    }

    @Test func capsColumnsAndCutsCellsWithAnEllipsis() {
        let table = TableRenderer(columns: ["id", "name"], maximumWidth: 80, maximumColumnWidth: 10)
        #expect(
            table.render(Self.products)
                == """
                id   name
                ───  ──────────
                P1   Widget
                P22  Gadget wi…
                P3   No price

                """
        )
    }

    @Test func fitsTheTerminalByShrinkingTheWidestColumns() {
        let objects: [JSON] = [
            ["a": "aaaaaaaaaaaaaaaaaaaa", "b": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "c": "cc"]
        ]
        let table = TableRenderer(columns: ["a", "b", "c"], maximumWidth: 30).render(objects)
        let lines = table.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "a" + String(repeating: " ", count: 13) + "b" + String(repeating: " ", count: 13) + "c",
                "────────────  ────────────  ──",
                "aaaaaaaaaaa…  bbbbbbbbbbb…  cc",
            ]
        )
    }

    @Test func looksUpDotPathsAndShowsNestedValuesAsCompactJSON() {
        let object: JSON = ["address": ["city": "Oslo", "zip": "0150"], "note": "two\nlines\tand tab", "gone": nil]
        let table = TableRenderer(columns: ["address.city", "address", "note", "gone"], maximumWidth: 120)
        #expect(
            table.render([object]).split(separator: "\n").last.map(String.init)
                == #"Oslo          {"city":"Oslo","zip":"0150"}  two lines and tab"#
        )
    }

    @Test func rendersLaterChunksInTheSameLayoutWithoutAHeader() {
        let table = TableRenderer(columns: ["id", "price"], maximumWidth: 80)
        let widths = table.columnWidths(for: Self.products)
        #expect(widths == [3, 6])
        #expect(table.render([["id": "P9", "price": 7]], widths: widths, includeHeader: false) == "P9        7\n")
        #expect(table.render([["id": "LONGER", "price": 7]], widths: widths, includeHeader: false) == "LO…       7\n")
    }

    @Test func rendersNothingWithoutColumns() {
        #expect(TableRenderer().render([]) == "")
        #expect(TableRenderer(columns: ["id"]).render([]) == "id\n──\n")
    }
}

import Testing

@testable import EntityHubCLI

@Suite struct TransferErrorTests {
    @Test func describesSourceLineAndColumnLikeACompiler() {
        let error = TransferError.unterminatedQuotedField(source: "orders.csv", line: 12, column: 5)
        #expect(error.description == "orders.csv:12:5: unterminated quoted field")
    }

    @Test func leavesOutWhatIsNotKnown() {
        let withoutSource = TransferError.invalidDocument("no array", source: nil, line: 3, column: nil)
        #expect(withoutSource.description == "line 3: no array")
        let withoutPosition = TransferError.cannotOpen(source: "missing.csv", reason: "No such file or directory")
        #expect(withoutPosition.description == "missing.csv: cannot open the input: No such file or directory")
    }

    @Test func tellsKindsApart() {
        let first = TransferError.unterminatedQuotedField(source: "a.csv", line: 1, column: 1)
        let second = TransferError.unterminatedQuotedField(source: "b.csv", line: 9, column: 2)
        let other = TransferError.invalidHeader("column 'a' appears twice in the header", source: "a.csv")
        #expect(first.isSameKind(as: second))
        #expect(!first.isSameKind(as: other))
    }

    @Test func namesTheRecordThatIsTooLarge() {
        let error = TransferError.recordTooLarge(limit: 64 * 1024 * 1024, source: "big.jsonl", line: 7)
        #expect(error.description == "big.jsonl:7: record is larger than 64 MiB")
    }
}

import Foundation
import Testing

@testable import EntityHubCLI

@Suite struct ProgressReporterTests {
    static let halfway = ProgressReporter(
        recordsSent: 523_400,
        recordsRejected: 3,
        bytesRead: 52_500_000,
        totalBytes: 100_000_000,
        elapsed: .seconds(16.75)
    )

    @Test func drawsABarPercentageRateAndETA() {
        #expect(
            Self.halfway.terminalLine(width: 120)
                == "[██████████░░░░░░░░░░]  52%  523,400 records  31,248/s  ETA 0:15  (3 rejected)"
        )
    }

    @Test func shrinksThenDropsTheBarOnNarrowTerminals() {
        let narrow = Self.halfway.terminalLine(width: 70)
        #expect(narrow == "[██████░░░░░░]  52%  523,400 records  31,248/s  ETA 0:15  (3 rejected)")
        #expect(narrow.count == 70)
        #expect(Self.halfway.terminalLine(width: 60) == " 52%  523,400 records  31,248/s  ETA 0:15  (3 rejected)")
        #expect(Self.halfway.terminalLine(width: 20) == " 52%  523,400 record")
    }

    @Test func withoutAKnownSizeThereIsNoBarNorETA() {
        var progress = Self.halfway
        progress.totalBytes = nil
        progress.recordsRejected = 0
        #expect(progress.terminalLine(width: 120) == "523,400 records  31,248/s")
        #expect(progress.estimatedTimeRemaining == nil)
        #expect(progress.fractionComplete == nil)
    }

    @Test func startsAndFinishesCleanly() {
        let start = ProgressReporter(totalBytes: 1000)
        #expect(start.terminalLine(width: 80) == "[░░░░░░░░░░░░░░░░░░░░]   0%  0 records  0/s")
        let done = ProgressReporter(recordsSent: 1, bytesRead: 1000, totalBytes: 1000, elapsed: .seconds(2))
        #expect(done.terminalLine(width: 80) == "[████████████████████] 100%  1 record  1/s  ETA 0:00")
    }

    @Test func writesAPlainLineForLogs() {
        #expect(Self.halfway.plainLine() == "imported 523400 records (3 rejected) at 31248/s")
        #expect(ProgressReporter(recordsSent: 1, elapsed: .seconds(1)).plainLine() == "imported 1 record at 1/s")
    }

    @Test func estimatesTheTimeLeftFromTheShareRead() {
        let progress = ProgressReporter(bytesRead: 250, totalBytes: 1000, elapsed: .seconds(30))
        #expect(progress.estimatedTimeRemaining == .seconds(90))
        #expect(progress.fractionComplete == 0.25)
    }

    @Test(arguments: [
        (Duration.zero, "0:00"),
        (.milliseconds(15_400), "0:15"),
        (.seconds(59.6), "1:00"),
        (.seconds(754), "12:34"),
        (.seconds(3600), "1:00:00"),
        (.seconds(3 * 3600 + 5 * 60 + 7), "3:05:07"),
    ])
    func formatsDurationsAsAClock(duration: Duration, text: String) {
        #expect(ProgressReporter.clock(duration) == text)
    }

    @Test(arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (523_400, "523,400"), (-1_234_567, "-1,234,567")])
    func groupsThousands(number: Int, text: String) {
        #expect(ProgressReporter.grouped(number) == text)
    }

    @Test func fallsBackToCOLUMNSThenEighty() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        defer { descriptors.forEach { close($0) } }
        #expect(!ProgressReporter.isTerminal(descriptors[0]))
        #expect(ProgressReporter.terminalWidth(descriptors: [descriptors[1]], columnsVariable: "132") == 132)
        #expect(ProgressReporter.terminalWidth(descriptors: [descriptors[1]], columnsVariable: "wide") == 80)
        #expect(ProgressReporter.terminalWidth(descriptors: [descriptors[1]], columnsVariable: nil) == 80)
        #expect(ProgressReporter.terminalWidth() > 0)
    }
}

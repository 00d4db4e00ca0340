#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Shows an import's progress on standard error: a bar redrawn in place on a terminal, a plain line every
/// few seconds otherwise; refused records are printed as they are found, with their line numbers.
struct ImportProgressDisplay {
    private let mode: ProgressStyle
    private let source: String
    private var lastDrawn: Duration = .seconds(-10)
    private var barShown = false
    private var totalBytes: Int?

    init(style: ProgressStyle, source: String) {
        self.source = source
        if style == .auto {
            mode = ProgressReporter.isTerminal(STDERR_FILENO) ? .bar : .lines
        } else {
            mode = style
        }
    }

    mutating func update(_ progress: Importer.Progress, elapsed: Duration) {
        totalBytes = progress.totalBytes
        if let rejection = progress.rejection {
            clearBar()
            let reasons = rejection.messages.joined(separator: "; ")
            printToStandardError("\(source): line \(rejection.line): \(reasons)")
        }
        let interval: Duration = mode == .bar ? .milliseconds(100) : .seconds(5)
        guard mode != .none, elapsed - lastDrawn >= interval else { return }
        lastDrawn = elapsed
        draw(reporter(progress.summary, bytesRead: progress.bytesRead, elapsed: elapsed))
    }

    /// Draws the final state and prints the summary line.
    mutating func finish(_ summary: Importer.Summary, bytesRead: Int, elapsed: Duration) {
        let reporter = reporter(summary, bytesRead: bytesRead, elapsed: elapsed)
        if mode == .bar {
            draw(reporter)
            printToStandardError("")
            barShown = false
        }
        guard mode != .none || !summary.rejected.isEmpty else { return }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(summary.accepted) / seconds) : summary.accepted
        var line = "imported \(summary.accepted) records from \(source) in \(formatted(seconds)) s (\(rate)/s)"
        if !summary.rejected.isEmpty { line += "; \(summary.rejected.count) refused (listed above)" }
        printToStandardError(line)
    }

    private func reporter(_ summary: Importer.Summary, bytesRead: Int, elapsed: Duration) -> ProgressReporter {
        ProgressReporter(
            recordsSent: summary.accepted,
            recordsRejected: summary.rejected.count,
            bytesRead: bytesRead,
            totalBytes: totalBytes,
            elapsed: elapsed
        )
    }

    private mutating func draw(_ reporter: ProgressReporter) {
        switch mode {
        case .bar:
            printToStandardError("\r" + reporter.terminalLine(width: ProgressReporter.terminalWidth()) + "\u{1B}[K\r")
            barShown = true
        case .lines, .auto:
            printToStandardError(reporter.plainLine())
        case .none:
            break
        }
    }

    /// Moves a drawn bar out of the way of a message.
    private mutating func clearBar() {
        guard barShown else { return }
        printToStandardError("\r\u{1B}[K\r")
        barShown = false
    }

    private func formatted(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

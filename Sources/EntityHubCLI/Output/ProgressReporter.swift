#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The progress of an import and its one-line renderings: a bar for terminals and a plain line for logs.
///
/// It holds no clock: the caller sets ``elapsed`` (and the counts) before rendering, which keeps the
/// output a pure function of the state.
///
/// ```swift
/// let progress = ProgressReporter(
///     recordsSent: 523_400, recordsRejected: 3, bytesRead: 52_000_000, totalBytes: 100_000_000,
///     elapsed: .seconds(16.75))
/// progress.terminalLine(width: 100)
/// // "[██████████░░░░░░░░░░]  52%  523,400 records  31,248/s  ETA 0:15  (3 rejected)"
/// progress.plainLine()
/// // "imported 523400 records (3 rejected) at 31248/s"
/// ```
struct ProgressReporter: Sendable, Hashable {
    /// The records sent to the server and imported.
    var recordsSent: Int
    /// The records refused, by the reader (malformed) or by the server.
    var recordsRejected: Int
    /// The bytes of the input read so far.
    var bytesRead: Int
    /// The size of the input, when known (a regular file).
    var totalBytes: Int?
    /// The time since the import started.
    var elapsed: Duration

    /// The widest the bar is drawn (in characters between the brackets).
    static let barWidth = 20

    /// A progress state; everything starts at zero.
    init(
        recordsSent: Int = 0,
        recordsRejected: Int = 0,
        bytesRead: Int = 0,
        totalBytes: Int? = nil,
        elapsed: Duration = .zero
    ) {
        self.recordsSent = recordsSent
        self.recordsRejected = recordsRejected
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        self.elapsed = elapsed
    }

    /// The share of the input read, from 0 to 1, when its size is known.
    var fractionComplete: Double? {
        guard let totalBytes else { return nil }
        guard totalBytes > 0 else { return 1 }
        return min(1, max(0, Double(bytesRead) / Double(totalBytes)))
    }

    /// Records imported per second so far (0 before any time has passed).
    var recordsPerSecond: Int {
        let seconds = Self.seconds(elapsed)
        guard seconds > 0 else { return 0 }
        return Int((Double(recordsSent) / seconds).rounded())
    }

    /// The time left at the rate the input has been read so far; `nil` when the size is unknown or
    /// nothing has been read yet.
    var estimatedTimeRemaining: Duration? {
        guard let totalBytes, bytesRead > 0 else { return nil }
        let remaining = Double(max(0, totalBytes - bytesRead)) / Double(bytesRead) * Self.seconds(elapsed)
        return .milliseconds(Int64((remaining * 1000).rounded()))
    }

    /// The progress as one line of at most `width` characters, for redrawing in place on a terminal:
    /// `[██████████░░░░░░░░░░]  52%  523,400 records  31,250/s  ETA 0:15  (3 rejected)`.
    ///
    /// Without a known size there is no bar, percentage or ETA. The bar shrinks (and then goes) when the
    /// line would be wider than `width`; what still does not fit is cut.
    func terminalLine(width: Int) -> String {
        var parts = ["\(Self.grouped(recordsSent)) record\(recordsSent == 1 ? "" : "s")"]
        parts.append("\(Self.grouped(recordsPerSecond))/s")
        if let remaining = estimatedTimeRemaining { parts.append("ETA \(Self.clock(remaining))") }
        if recordsRejected > 0 { parts.append("(\(Self.grouped(recordsRejected)) rejected)") }
        var text = parts.joined(separator: "  ")
        if let fraction = fractionComplete {
            let percent = Int((fraction * 100).rounded(.down))
            let label = String(repeating: " ", count: max(0, 3 - String(percent).count)) + "\(percent)%"
            text = label + "  " + text
            let room = width - text.count - 3
            if room >= 10 {
                let barWidth = min(Self.barWidth, room)
                let filled = min(barWidth, Int((fraction * Double(barWidth)).rounded(.down)))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
                text = "[\(bar)] " + text
            }
        }
        return text.count > width ? String(text.prefix(max(0, width))) : text
    }

    /// The progress as a plain line for logs and pipes: `imported 523400 records (3 rejected) at 31250/s`.
    func plainLine() -> String {
        let rejected = recordsRejected > 0 ? " (\(recordsRejected) rejected)" : ""
        return "imported \(recordsSent) record\(recordsSent == 1 ? "" : "s")\(rejected) at \(recordsPerSecond)/s"
    }

    /// `duration` as `m:ss`, or `h:mm:ss` from one hour (rounded to the second).
    static func clock(_ duration: Duration) -> String {
        let total = max(0, Int(seconds(duration).rounded()))
        let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60)
        let paddedSeconds = seconds < 10 ? "0\(seconds)" : "\(seconds)"
        guard hours > 0 else { return "\(minutes):\(paddedSeconds)" }
        return "\(hours):\(minutes < 10 ? "0" : "")\(minutes):\(paddedSeconds)"
    }

    /// `number` with `,` between groups of three digits: `523,400`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (position, digit) in digits.enumerated() {
            if position > 0 && (digits.count - position) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return number < 0 ? "-" + result : result
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension ProgressReporter {
    /// Whether `descriptor` is a terminal (to choose between ``terminalLine(width:)`` and ``plainLine()``).
    static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1
    }

    /// The width of the terminal: from standard output or standard error, else the `COLUMNS` environment
    /// variable, else 80.
    static func terminalWidth() -> Int {
        let columns = getenv("COLUMNS").map { String(cString: $0) }
        return terminalWidth(descriptors: [STDOUT_FILENO, STDERR_FILENO], columnsVariable: columns)
    }

    /// The width of the first of `descriptors` that is a terminal, else `columnsVariable` when it is a
    /// positive number, else 80.
    static func terminalWidth(descriptors: [Int32], columnsVariable: String?) -> Int {
        for descriptor in descriptors {
            var size = winsize()
            if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 {
                return Int(size.ws_col)
            }
        }
        if let columnsVariable, let columns = Int(columnsVariable), columns > 0 { return columns }
        return 80
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes to a file descriptor through a 64 KiB buffer, so streaming a million lines costs a few
/// thousand system calls rather than a million.
final class BufferedOutput {
    private let descriptor: Int32
    private let closesOnDeinit: Bool
    private var buffer: [UInt8] = []
    private let capacity = 64 * 1024

    /// An output to `descriptor` (standard output by default), closed at the end when `closesOnDeinit`.
    init(descriptor: Int32 = STDOUT_FILENO, closesOnDeinit: Bool = false) {
        self.descriptor = descriptor
        self.closesOnDeinit = closesOnDeinit
        buffer.reserveCapacity(capacity)
    }

    deinit {
        try? flush()
        if closesOnDeinit { close(descriptor) }
    }

    /// Whether the output is a terminal (and should get tables and colours rather than data).
    var isTerminal: Bool { isatty(descriptor) == 1 }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { try flush() }
    }

    func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// Appends to the buffer through `body`, for writers that produce bytes in place.
    func withBuffer(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= capacity { try flush() }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                #if canImport(Glibc)
                    Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                #else
                    Darwin.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                buffer.removeAll(keepingCapacity: true)
                throw CLIError("cannot write the output: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Prints one line to standard error at once (progress, warnings, rejected records); a line ending in
/// `\r` (a redrawn progress bar) gets no newline.
func printToStandardError(_ line: String) {
    var bytes = Array(line.utf8)
    if bytes.last != 0x0A && bytes.last != 0x0D { bytes.append(0x0A) }
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { raw in
            #if canImport(Glibc)
                Glibc.write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
            #else
                Darwin.write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
            #endif
        }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads an input file (a path, or standard input for `-`) in chunks of ``defaultChunkSize`` bytes,
/// so that inputs of any size are read in bounded memory.
///
/// It knows the size of the input when that is a regular file (``totalBytes``) and counts what has been
/// read so far (``bytesRead``), which together give progress and an ETA.
///
/// ```swift
/// var input = try ByteInput(path: "orders.csv")
/// var buffer: [UInt8] = []
/// while try input.read(appendingTo: &buffer) > 0 { … }
/// ```
///
/// Copies share the file descriptor, which is closed when the last copy is gone; read from one copy only.
struct ByteInput: Sendable {
    /// The chunk size used unless another is given: 64 KiB.
    static let defaultChunkSize = 64 * 1024

    /// The name used in messages: the path as given, or `stdin`.
    let name: String
    /// The size in bytes when the input is a regular file, otherwise `nil`.
    let totalBytes: Int?
    /// The largest number of bytes one ``read(appendingTo:)`` asks the system for.
    let chunkSize: Int
    /// The number of bytes read from the input so far.
    private(set) var bytesRead = 0
    /// Whether the end of the input has been reached.
    private(set) var isAtEnd = false

    private let source: Source
    /// Bytes read ahead by ``firstNonWhitespaceByte()``, handed out before anything else.
    private var readAhead: [UInt8] = []

    private enum Source: Sendable {
        case descriptor(DescriptorOwner)
        case memory([UInt8])
    }

    /// Opens `path` for reading, or standard input when `path` is `-`.
    ///
    /// - Throws: ``TransferError`` when the file cannot be opened or is a directory.
    init(path: String, chunkSize: Int = defaultChunkSize) throws(TransferError) {
        if path == "-" {
            self.init(descriptor: STDIN_FILENO, name: "stdin", closesOnDeinit: false, chunkSize: chunkSize)
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotOpen(source: path, reason: ByteInput.systemMessage(errno))
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw .cannotOpen(source: path, reason: "it is a directory")
        }
        self.init(descriptor: descriptor, name: path, closesOnDeinit: true, chunkSize: chunkSize)
    }

    /// Reads an already open descriptor; it is closed with the last copy when `closesOnDeinit` is set.
    init(descriptor: Int32, name: String, closesOnDeinit: Bool, chunkSize: Int = defaultChunkSize) {
        self.name = name
        self.chunkSize = max(1, chunkSize)
        self.source = .descriptor(DescriptorOwner(descriptor: descriptor, closesOnDeinit: closesOnDeinit))
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG {
            let position = lseek(descriptor, 0, SEEK_CUR)
            totalBytes = max(0, Int(status.st_size) - max(0, Int(position)))
        } else {
            totalBytes = nil
        }
    }

    /// Reads bytes held in memory, in chunks of `chunkSize` (for tests and small inputs).
    init(bytes: [UInt8], name: String = "input", chunkSize: Int = defaultChunkSize) {
        self.name = name
        self.chunkSize = max(1, chunkSize)
        self.source = .memory(bytes)
        self.totalBytes = bytes.count
    }

    /// Appends the next chunk of at most ``chunkSize`` bytes (more only after a read-ahead) to `buffer`.
    ///
    /// - Returns: The number of bytes appended; `0` means the end of the input.
    /// - Throws: ``TransferError`` when the system reports a read error.
    mutating func read(appendingTo buffer: inout [UInt8]) throws(TransferError) -> Int {
        if !readAhead.isEmpty {
            buffer.append(contentsOf: readAhead)
            defer { readAhead = [] }
            return readAhead.count
        }
        return try readFromSource(appendingTo: &buffer)
    }

    /// The first byte that is not JSON whitespace (nor part of a UTF-8 byte order mark), reading ahead as
    /// far as needed (at most 1 MiB); the bytes read ahead are still returned by ``read(appendingTo:)``.
    ///
    /// Used to tell a JSON array (`[`) from JSON Lines (`{`) and CSV.
    mutating func firstNonWhitespaceByte() throws(TransferError) -> UInt8? {
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        var index = 0
        while readAhead.count < 1024 * 1024 {
            while index < readAhead.count {
                let byte = readAhead[index]
                let isByteOrderMark = index < 3 && readAhead[...index].elementsEqual(byteOrderMark[...index])
                if !isByteOrderMark && !ByteInput.isWhitespace(byte) { return byte }
                index += 1
            }
            var buffer = readAhead
            readAhead = []
            let count = try readFromSource(appendingTo: &buffer)
            readAhead = buffer
            if count == 0 { return nil }
        }
        return nil
    }

    private mutating func readFromSource(appendingTo buffer: inout [UInt8]) throws(TransferError) -> Int {
        guard !isAtEnd else { return 0 }
        let count: Int
        switch source {
        case .memory(let bytes):
            count = min(chunkSize, bytes.count - bytesRead)
            buffer.append(contentsOf: bytes[bytesRead..<(bytesRead + count)])
        case .descriptor(let owner):
            count = try ByteInput.read(owner.descriptor, count: chunkSize, appendingTo: &buffer, name: name)
        }
        bytesRead += count
        if count == 0 { isAtEnd = true }
        return count
    }

    private static func read(
        _ descriptor: Int32,
        count: Int,
        appendingTo buffer: inout [UInt8],
        name: String
    ) throws(TransferError) -> Int {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        while true {
            let result = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                #if canImport(Glibc)
                    return Glibc.read(descriptor, base + start, count)
                #else
                    return Darwin.read(descriptor, base + start, count)
                #endif
            }
            if result < 0 && errno == EINTR { continue }
            if result < 0 {
                let code = errno
                buffer.removeLast(count)
                throw .cannotRead(source: name, reason: systemMessage(code))
            }
            buffer.removeLast(count - result)
            return result
        }
    }

    /// Whether `byte` is JSON whitespace (space, tab, CR, LF).
    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// Owns a file descriptor and closes it when the last ``ByteInput`` copy using it is gone.
private final class DescriptorOwner: Sendable {
    let descriptor: Int32
    let closesOnDeinit: Bool

    init(descriptor: Int32, closesOnDeinit: Bool) {
        self.descriptor = descriptor
        self.closesOnDeinit = closesOnDeinit
    }

    deinit {
        if closesOnDeinit { close(descriptor) }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal HTTP server on 127.0.0.1 and a free port, for the HTTP loader tests: one thread accepts
/// connections one at a time and answers each with what the handler gives for the request path.
final class LocalHTTPServer: @unchecked Sendable {
    struct Response: Sendable {
        var status = 200
        var contentType = "text/plain"
        var body: String
        /// A pause before answering, to exceed a client's timeout.
        var delay: TimeInterval = 0
    }

    let port: UInt16
    private let listener: Int32

    init(handler: @escaping @Sendable (String) -> Response) throws {
        #if os(Linux)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        listener = descriptor
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { Self.serve(descriptor, handler: handler) }
    }

    /// The URL of `path` on this server.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Stops accepting connections; the port is then closed.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func serve(_ listener: Int32, handler: @Sendable (String) -> Response) {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let response = handler(requestPath(client))
            if response.delay > 0 { Thread.sleep(forTimeInterval: response.delay) }
            let head =
                "HTTP/1.1 \(response.status) Answer\r\nContent-Type: \(response.contentType)\r\n"
                + "Content-Length: \(response.body.utf8.count)\r\nConnection: close\r\n\r\n"
            let bytes = Array((head + response.body).utf8)
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
            close(client)
        }
    }

    /// Reads the request head and returns the path of its request line.
    private static func requestPath(_ client: Int32) -> String {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while head.count < 16_384, !String(decoding: head, as: UTF8.self).contains("\r\n\r\n") {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            head += buffer[..<count]
        }
        let requestLine = String(decoding: head, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = requestLine.split(separator: " ")
        return parts.count > 1 ? String(parts[1]) : "/"
    }
}

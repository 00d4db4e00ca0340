import Foundation
import HTTPTypes
import MultipartKit
import NIOCore

/// The bytes of the part named `file` of a `multipart/form-data` body, read as they arrive: each
/// chunk of the request is parsed when the consumer asks for more, so no more than one chunk is ever
/// held (what browsers send to `POST /api/v1/_files/{sha256}`). Other parts are skipped.
struct MultipartFileBytes<Body: AsyncSequence & Sendable>: AsyncSequence, Sendable where Body.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let body: Body
    let boundary: String

    /// The boundary of a `multipart/form-data` content type, or `nil` for another type.
    static func boundary(of contentType: String) -> String? {
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parameters.dropFirst() where parameter.lowercased().hasPrefix("boundary=") {
            let value = parameter.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty ? nil : value
        }
        return nil
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(body: body.makeAsyncIterator(), boundary: boundary)
    }

    struct Iterator: AsyncIteratorProtocol {
        var body: Body.AsyncIterator
        let parser: MultipartParser
        let state = PartState()

        init(body: Body.AsyncIterator, boundary: String) {
            self.body = body
            self.parser = MultipartParser(boundary: boundary)
            let state = self.state
            parser.onHeader = { name, value in
                guard name.lowercased() == "content-disposition" else { return }
                state.isFile = value.contains("name=\"file\"")
            }
            parser.onBody = { chunk in
                if state.isFile { state.pending.writeBuffer(&chunk) }
            }
            parser.onPartComplete = {
                if state.isFile { state.sawFile = true }
                state.isFile = false
            }
        }

        mutating func next() async throws -> ByteBuffer? {
            while true {
                if state.pending.readableBytes > 0 {
                    defer { state.pending.clear() }
                    return state.pending
                }
                guard let chunk = try await body.next() else {
                    guard state.sawFile else { throw MultipartFileError.noFilePart }
                    return nil
                }
                do {
                    try parser.execute(chunk)
                } catch {
                    throw MultipartFileError.malformed
                }
            }
        }
    }

    /// What the parser's callbacks found so far.
    final class PartState {
        var isFile = false
        var sawFile = false
        var pending = ByteBuffer()
    }
}

/// A `multipart/form-data` upload that cannot be read.
enum MultipartFileError: Error {
    case noFilePart, malformed
}

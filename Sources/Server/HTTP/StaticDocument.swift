import CompressNIO
import Foundation
import NIOCore

/// A document built once and served from memory many times (`$metadata`): its bytes, a gzip copy
/// made once, and a strong ETag for each representation.
///
/// Clients that send `Accept-Encoding: gzip` (python-odata through requests, Power BI, browsers)
/// get the gzip copy, typically 30–45 times smaller for CSDL; the others get the bytes as they are.
/// Both carry `Vary: Accept-Encoding`, and either ETag in `If-None-Match` answers 304. The bytes are
/// kept as `ByteBuffer`s, which every answer shares rather than copies.
struct StaticDocument: Sendable {
    /// One representation of the document.
    struct Representation: Sendable {
        let body: ByteBuffer
        /// The strong ETag of these bytes, quoted.
        let etag: String
        /// `gzip`, or `nil` for the document as it is.
        let contentEncoding: String?
    }

    let identity: Representation
    /// `nil` when compressing failed or would not make the document smaller.
    let gzip: Representation?

    init(_ bytes: [UInt8]) {
        let hash = Self.fnv1a(bytes)
        let buffer = ByteBuffer(bytes: bytes)
        identity = Representation(body: buffer, etag: "\"\(hash)\"", contentEncoding: nil)
        var input = buffer
        if let compressed = try? input.compress(with: .gzip(configuration: .init(compressionLevel: .bestCompression))),
            compressed.readableBytes < bytes.count
        {
            gzip = Representation(body: compressed, etag: "\"\(hash)-gzip\"", contentEncoding: "gzip")
        } else {
            gzip = nil
        }
    }

    /// The representation for a request's `Accept-Encoding` header.
    func representation(acceptEncoding: String?) -> Representation {
        guard let gzip, let acceptEncoding else { return identity }
        // What clients send (`gzip`, `gzip, deflate, br`) is decided without parsing weights.
        if !acceptEncoding.utf8.contains(UInt8(ascii: ";")) && !acceptEncoding.utf8.contains(UInt8(ascii: "*")) {
            let names = acceptEncoding.split(separator: ",")
            let accepted = names.contains { name in
                let coding = name.trimmingCharacters(in: .whitespaces).lowercased()
                return coding == "gzip" || coding == "x-gzip"
            }
            return accepted ? gzip : identity
        }
        return AcceptEncoding(acceptEncoding).accepts("gzip") ? gzip : identity
    }

    /// Whether `If-None-Match` names this document (in either representation) or is `*`.
    func isMatched(by ifNoneMatch: String?) -> Bool {
        guard let ifNoneMatch else { return false }
        return ifNoneMatch.split(separator: ",").contains { tag in
            let tag = tag.trimmingCharacters(in: .whitespaces)
            let strong = tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
            return strong == "*" || strong == identity.etag || strong == gzip?.etag
        }
    }

    /// FNV-1a 64 of the bytes, in hex: changes whenever the document does.
    private static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// The codings an `Accept-Encoding` header allows (RFC 9110 §12.5.3): `gzip`, `gzip;q=0.5`, `*`;
/// a coding with `q=0` is refused.
struct AcceptEncoding: Sendable {
    private var weights: [String: Double] = [:]

    init(_ header: String) {
        for item in header.split(separator: ",") {
            let parameters = item.split(separator: ";")
            guard let name = parameters.first?.trimmingCharacters(in: .whitespaces).lowercased(), !name.isEmpty else {
                continue
            }
            var weight = 1.0
            for parameter in parameters.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "q" {
                    weight = Double(pair[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            weights[name] = weight
        }
    }

    /// Whether `coding` is allowed, by name (or `x-gzip` for `gzip`) or through `*`.
    func accepts(_ coding: String) -> Bool {
        if let weight = weights[coding] ?? (coding == "gzip" ? weights["x-gzip"] : nil) { return weight > 0 }
        return (weights["*"] ?? 0) > 0
    }
}

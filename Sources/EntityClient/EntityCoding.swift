import EntityModel
import Foundation

/// The coders typed calls use by default, matching how EntityHub writes values.
public enum EntityCoding {
    /// A `JSONEncoder` that writes dates as ISO 8601 UTC with milliseconds (`2024-01-02T03:04:05.000Z`).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timestampStyle))
        }
        return encoder
    }

    /// A `JSONDecoder` that reads ISO 8601 dates with or without fractional seconds and with any offset.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? timestampStyle.parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an ISO 8601 date")
        }
        return decoder
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

extension EntityClient {
    /// `value` as JSON bytes, with the configured encoder.
    func encode(_ value: some Encodable) throws(EntityClientError) -> [UInt8] {
        do {
            return Array(try configuration.encoder.encode(value))
        } catch {
            throw EntityClientError(
                .invalidArgument,
                errors: ["cannot encode \(type(of: value)): \(error)"],
                underlyingError: error
            )
        }
    }

    /// The body of `response` decoded as `type`, with the configured decoder.
    func decode<T: Decodable>(_ type: T.Type, from response: ClientResponse) throws(EntityClientError) -> T {
        try response.decoded(type, with: configuration.decoder)
    }
}

extension ClientResponse {
    /// The body decoded as one of the client's own wire types (users, keys, grants, …), with the default
    /// decoder: the configured one is for the application's types and may use other key strategies.
    func decoded<T: Decodable>(_ type: T.Type) throws(EntityClientError) -> T {
        try decoded(type, with: EntityCoding.makeDecoder())
    }

    /// The body decoded as `type` with `decoder`.
    func decoded<T: Decodable>(_ type: T.Type, with decoder: JSONDecoder) throws(EntityClientError) -> T {
        do {
            return try decoder.decode(type, from: Data(body))
        } catch {
            throw EntityClientError(
                .invalidResponse,
                status: status,
                errors: ["cannot decode \(type) from the answer: \(error)"],
                request: request,
                underlyingError: error
            )
        }
    }
}

extension JSON {
    /// The version EntityHub keeps in `_meta.version` of an entity, used with `ifVersion:` for optimistic
    /// concurrency.
    public var entityVersion: Int64? {
        if case .integer(let version) = self["_meta"]?["version"] { return version }
        return nil
    }

    /// The entity's `id`.
    public var entityID: String? { self["id"]?.stringValue }
}

import Foundation
import HTTPTypes

/// How much control information a JSON answer carries (`odata.metadata=`).
enum ODataMetadataLevel: String, Sendable {
    case minimal, full, none
}

/// The protocol version of an answer: 4.0 unless the client allows 4.01 (`OData-MaxVersion: 4.01`).
enum ODataVersion: String, Sendable {
    case v4 = "4.0"
    case v401 = "4.01"

    /// The version to answer with, from `OData-MaxVersion` and `OData-Version`; below 4.0 is an error.
    static func negotiate(maxVersion: String?, version: String?) throws(ODataError) -> ODataVersion {
        if let version, let number = Double(version.trimmingCharacters(in: .whitespaces)), number > 4.01 {
            throw ODataError(.badRequest, "OData-Version \(version) is not supported; EntityHub speaks 4.0 and 4.01")
        }
        guard let maxVersion = maxVersion?.trimmingCharacters(in: .whitespaces) else { return .v4 }
        guard let number = Double(maxVersion) else {
            throw ODataError(.badRequest, "OData-MaxVersion '\(maxVersion)' is not a version number")
        }
        if number < 4.0 {
            throw ODataError(
                .badRequest,
                "OData-MaxVersion \(maxVersion) is below 4.0; EntityHub speaks OData 4.0 and 4.01 only"
            )
        }
        return number >= 4.01 ? .v401 : .v4
    }
}

/// The JSON format of an answer, negotiated from `$format` and `Accept`.
struct ODataFormat: Sendable, Equatable {
    var metadata: ODataMetadataLevel = .minimal
    /// Int64 and Decimal values (and `@odata.count`) as strings.
    var ieee754Compatible = false
    var version: ODataVersion = .v4

    /// `Content-Type` of a JSON answer, with the parameters clients look for.
    var contentType: String {
        "application/json;odata.metadata=\(metadata.rawValue);odata.streaming=true;IEEE754Compatible=\(ieee754Compatible)"
    }

    /// The control-information prefix: `@odata.` in 4.0, `@` in 4.01.
    var annotationPrefix: String { version == .v401 ? "@" : "@odata." }

    /// Reads `$format` (which wins) or `Accept`; `nil` when neither allows JSON (406).
    static func negotiate(format: String?, accept: String?, contentType: String?) -> ODataFormat? {
        var result = ODataFormat()
        if let contentType, Self.parameters(of: contentType)["ieee754compatible"] == "true" {
            result.ieee754Compatible = true
        }
        if let format {
            let lowered = format.lowercased()
            guard lowered == "json" || lowered.hasPrefix("application/json") || lowered.hasPrefix("json;") else {
                return nil
            }
            result.apply(parameters(of: format))
            return result
        }
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return result }
        for range in accept.split(separator: ",") {
            let mediaRange = String(range)
            let type = mediaRange.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard let type, ["application/json", "application/*", "*/*"].contains(type) else { continue }
            let parameters = parameters(of: mediaRange)
            if parameters["q"] == "0" { continue }
            result.apply(parameters)
            return result
        }
        return nil
    }

    private mutating func apply(_ parameters: [String: String]) {
        if let level = parameters["odata.metadata"] ?? parameters["metadata"],
            let parsed = ODataMetadataLevel(rawValue: level)
        {
            metadata = parsed
        }
        if parameters["ieee754compatible"] == "true" { ieee754Compatible = true }
    }

    /// The parameters of a media type, names lower-cased: `application/json;odata.metadata=full`.
    static func parameters(of mediaType: String) -> [String: String] {
        var result: [String: String] = [:]
        for parameter in mediaType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            result[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] = pair[1]
                .trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                .lowercased()
        }
        return result
    }
}

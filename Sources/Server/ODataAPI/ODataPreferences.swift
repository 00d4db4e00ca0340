import Foundation

/// The `Prefer` header of a request (RFC 7240 and OData §8.2.8), prefixed and 4.01 unprefixed forms.
struct ODataPreferences: Sendable, Equatable {
    enum Return: String, Sendable {
        case minimal, representation
    }

    var returnPreference: Return?
    /// `odata.maxpagesize=N`: the client's largest page.
    var maxPageSize: Int?
    /// `odata.continue-on-error`: a batch goes on after a failed request.
    var continueOnError = false

    init(_ values: [String]) {
        for preference in values.flatMap({ $0.split(separator: ",") }) {
            let pair = preference.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let name = pair.first?.lowercased() else { continue }
            let value = pair.count > 1 ? pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : nil
            switch name {
            case "return": returnPreference = value.flatMap { Return(rawValue: $0.lowercased()) }
            case "odata.maxpagesize", "maxpagesize":
                if let value, let size = Int(value), size > 0 { maxPageSize = size }
            case "odata.continue-on-error", "continue-on-error":
                continueOnError = value.map { $0.lowercased() != "false" } ?? true
            default: continue
            }
        }
    }
}

import EntityModel

/// The NGSI-LD core `@context` v1.9, embedded so that core terms never need the network.
///
/// The unversioned URL and every published versioned URL (v1.3 to v1.9) resolve to this one document
/// offline; any other URL, even under `uri.etsi.org`, is loaded like a user context.
///
/// ```swift
/// CoreContext.isCoreURL("https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld")   // true
/// CoreContext.versionedURL   // what ld+json answers name when the client gave no context
/// ```
public enum CoreContext {
    /// The unversioned core URL (ngsildclient's default), used in `Link` headers of json answers.
    public static let url = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"

    /// The versioned URL of the embedded document, for `@context` in ld+json answers.
    public static let versionedURL = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld"

    /// Every URL that names the core context: the unversioned one and v1.3 to v1.9.
    public static let urls: Set<String> = Set(
        [url] + (3...9).map { "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.\($0).jsonld" }
    )

    /// The default vocabulary the core context sets: the expansion of names no context defines.
    public static let defaultVocabulary = "https://uri.etsi.org/ngsi-ld/default-context/"

    /// `true` when `url` is one of ``urls``.
    public static func isCoreURL(_ url: String) -> Bool { urls.contains(url) }

    /// The core document's `@context` object (its term definitions), parsed once.
    static let definitions: [String: JSON] = {
        // The embedded text is a fixed, tested document: failing here is a build defect, not input.
        guard let document = try? JSON(parsing: coreContextDocumentText),
            case .object(let definitions)? = document["@context"]
        else { preconditionFailure("the embedded NGSI-LD core context is not a JSON object with @context") }
        return definitions
    }()
}

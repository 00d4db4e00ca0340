/// How an entity is rendered: the representation, system attributes, the attributes chosen, the
/// language of LanguageProperties, the instances and the GeoJSON geometry.
///
/// Attribute names in ``attrs``, ``pick``, ``omit`` and ``geometryProperty`` are **expanded IRIs**
/// (the adapter expands the request's names with its context); `id`, `type` and `scope` are written as
/// they are in ``pick`` and ``omit``.
///
/// ```swift
/// var options = NGSILDRenderOptions()
/// try options.apply(format: nil, options: "keyValues,sysAttrs")
/// options.pick = ["id", "https://uri.etsi.org/ngsi-ld/default-context/name"]
/// ```
public struct NGSILDRenderOptions: Sendable, Hashable {
    /// The representations of §3.3.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// `{"type": "Property", "value": v, …}`: the default.
        case normalized
        /// `v`, or `{"value": v, …}` without `type`.
        case concise
        /// `v` alone (`keyValues`).
        case simplified
    }

    /// The representation; ``Format/normalized`` by default.
    public var format: Format
    /// Shows `createdAt`/`modifiedAt` of the entity and of every instance (`options=sysAttrs`).
    public var sysAttrs: Bool
    /// `attrs`: only these attributes (expanded IRIs); `id`, `type` and `scope` stay.
    public var attrs: Set<String>?
    /// `pick`: only these members (expanded attribute IRIs, `id`, `type`, `scope`).
    public var pick: Set<String>?
    /// `omit`: not these members (expanded attribute IRIs, `id`, `type`, `scope`).
    public var omit: Set<String>
    /// `lang`: the language ranges wanted, e.g. `fr,en;q=0.8,*`; LanguageProperties then render as
    /// Properties with one language's text and `lang` (4.15).
    public var lang: String?
    /// `datasetId`: only instances with these dataset ids (`@none` for the default instance).
    public var datasetIds: Set<String>?
    /// `geometryProperty`: the expanded IRI of the GeoProperty that is a GeoJSON Feature's geometry.
    public var geometryProperty: String

    /// The IRI of the core `location` GeoProperty, GeoJSON's default geometry.
    public static let location = "https://uri.etsi.org/ngsi-ld/location"

    /// Creates options; by default normalized, without system attributes, every attribute and
    /// instance, and `location` as the geometry.
    public init(
        format: Format = .normalized,
        sysAttrs: Bool = false,
        attrs: Set<String>? = nil,
        pick: Set<String>? = nil,
        omit: Set<String> = [],
        lang: String? = nil,
        datasetIds: Set<String>? = nil,
        geometryProperty: String = Self.location
    ) {
        self.format = format
        self.sysAttrs = sysAttrs
        self.attrs = attrs
        self.pick = pick
        self.omit = omit
        self.lang = lang
        self.datasetIds = datasetIds
        self.geometryProperty = geometryProperty
    }

    /// Applies the `format` and `options` URL parameters (`options` comma-separated:
    /// `keyValues`, `simplified`, `concise`, `normalized`, `sysAttrs`); `format` wins over a
    /// representation in `options`. Write options (`noOverwrite`, `replace`, `update`) are ignored.
    ///
    /// - Throws: ``NGSILDError/Code/badRequestData`` for any other value.
    public mutating func apply(format: String?, options: String?) throws(NGSILDError) {
        for option in (options ?? "").split(separator: ",", omittingEmptySubsequences: true) {
            switch option {
            case "keyValues", "simplified": self.format = .simplified
            case "concise": self.format = .concise
            case "normalized": self.format = .normalized
            case "sysAttrs": sysAttrs = true
            case "noOverwrite", "replace", "update": continue
            default: throw NGSILDError(.badRequestData, "options: unknown option \(option)")
            }
        }
        guard let format else { return }
        switch format {
        case "keyValues", "simplified": self.format = .simplified
        case "concise": self.format = .concise
        case "normalized": self.format = .normalized
        default: throw NGSILDError(.badRequestData, "format: unknown format \(format)")
        }
    }
}

import EntityQuery

/// Writes an ``ODataModel`` as CSDL XML 4.0 (`$metadata`), the document python-odata, tdom and
/// Power BI read.
///
/// Lean on purpose: no vocabulary includes beyond the annotations clients use (`Core.Computed` on
/// server-set properties, `Core.OptimisticConcurrency` where ETags are required, and the
/// Capabilities terms that say what the service supports).
enum CSDLXML {
    static func document(_ model: ODataModel, requiringETags: Set<String>) -> String {
        var xml = XMLText()
        xml.line(#"<?xml version="1.0" encoding="utf-8"?>"#)
        xml.open("edmx:Edmx", ["Version": "4.0", "xmlns:edmx": "http://docs.oasis-open.org/odata/ns/edmx"])
        xml.element(
            "edmx:Reference",
            ["Uri": "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml"],
            children: { xml in
                xml.empty("edmx:Include", ["Namespace": "Org.OData.Core.V1", "Alias": "Core"])
            }
        )
        xml.element(
            "edmx:Reference",
            ["Uri": "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml"],
            children: { xml in
                xml.empty("edmx:Include", ["Namespace": "Org.OData.Capabilities.V1", "Alias": "Capabilities"])
            }
        )
        xml.open("edmx:DataServices")
        xml.open("Schema", ["Namespace": ODataModel.namespace, "xmlns": "http://docs.oasis-open.org/odata/ns/edm"])
        for type in model.types.values.sorted(by: { $0.name < $1.name }) {
            structuredType(type, into: &xml)
        }
        for operation in model.operations.sorted(by: operationOrder) {
            self.operation(operation, into: &xml)
        }
        container(model, requiringETags: requiringETags, into: &xml)
        xml.close("Schema")
        xml.close("edmx:DataServices")
        xml.close("edmx:Edmx")
        return xml.text
    }

    private static func structuredType(_ type: ODataStructuredType, into xml: inout XMLText) {
        let element = type.isEntityType ? "EntityType" : "ComplexType"
        xml.open(element, ["Name": type.name, "OpenType": type.isOpen ? "true" : "false"])
        if type.isEntityType {
            xml.open("Key")
            xml.empty("PropertyRef", ["Name": "id"])
            xml.close("Key")
        }
        for property in type.properties {
            var pairs: [(String, String)] = [("Name", property.name), ("Type", property.type.description)]
            if !property.isNullable { pairs.append(("Nullable", "false")) }
            if property.type.elementType == .primitive(.decimal) { pairs.append(("Scale", "variable")) }
            if property.isComputed {
                xml.open("Property", pairs)
                xml.empty("Annotation", ["Term": "Org.OData.Core.V1.Computed", "Bool": "true"])
                xml.close("Property")
            } else {
                xml.empty("Property", pairs)
            }
        }
        for navigation in type.navigations {
            var pairs: [(String, String)] = [
                ("Name", navigation.name),
                (
                    "Type",
                    navigation.isCollection
                        ? "Collection(\(ODataModel.namespace).\(navigation.target))"
                        : "\(ODataModel.namespace).\(navigation.target)"
                ),
            ]
            if let partner = navigation.partner { pairs.append(("Partner", partner)) }
            switch navigation.link {
            case .containment:
                pairs.append(("ContainsTarget", "true"))
                xml.empty("NavigationProperty", pairs)
            case .reference(let property):
                xml.open("NavigationProperty", pairs)
                xml.empty("ReferentialConstraint", ["Property": property, "ReferencedProperty": "id"])
                xml.close("NavigationProperty")
            case .inverse:
                xml.empty("NavigationProperty", pairs)
            }
        }
        xml.close(element)
    }

    private static func operation(_ operation: ODataOperation, into xml: inout XMLText) {
        let element = operation.kind == .action ? "Action" : "Function"
        var pairs: [(String, String)] = [("Name", operation.name)]
        switch operation.binding {
        case .entity, .collection: pairs.append(("IsBound", "true"))
        case .unbound: break
        }
        if operation.isComposable { pairs.append(("IsComposable", "true")) }
        if operation.effect == .matches, operation.binding != .unbound {
            pairs.append(("EntitySetPath", "bindingParameter"))
        }
        xml.open(element, pairs)
        switch operation.binding {
        case .entity(let type):
            xml.empty(
                "Parameter",
                ["Name": "bindingParameter", "Type": "\(ODataModel.namespace).\(type)", "Nullable": "false"]
            )
        case .collection(let type):
            xml.empty(
                "Parameter",
                [
                    "Name": "bindingParameter", "Type": "Collection(\(ODataModel.namespace).\(type))",
                    "Nullable": "false",
                ]
            )
        case .unbound:
            break
        }
        for parameter in operation.parameters {
            var attributes: [(String, String)] = [("Name", parameter.name), ("Type", parameter.type.description)]
            if !parameter.isNullable { attributes.append(("Nullable", "false")) }
            if parameter.type.elementType == .primitive(.decimal) { attributes.append(("Scale", "variable")) }
            xml.empty("Parameter", attributes)
        }
        var returnAttributes: [(String, String)] = [("Type", operation.returnType.description), ("Nullable", "false")]
        if operation.returnType.elementType == .primitive(.decimal) { returnAttributes.append(("Scale", "variable")) }
        xml.empty("ReturnType", returnAttributes)
        xml.close(element)
    }

    private static func container(_ model: ODataModel, requiringETags: Set<String>, into xml: inout XMLText) {
        xml.open("EntityContainer", ["Name": "Container"])
        for name in model.entitySetNames {
            xml.open("EntitySet", ["Name": name, "EntityType": "\(ODataModel.namespace).\(name)"])
            for navigation in model.type(named: name)?.navigations ?? [] where !navigation.isContainment {
                xml.empty("NavigationPropertyBinding", ["Path": navigation.name, "Target": navigation.target])
            }
            if requiringETags.contains(name) {
                xml.open("Annotation", ["Term": "Core.OptimisticConcurrency"])
                xml.line("<Collection/>")
                xml.close("Annotation")
            }
            xml.close("EntitySet")
        }
        for operation in model.operations where operation.binding == .unbound {
            if operation.kind == .action {
                xml.empty(
                    "ActionImport",
                    ["Name": operation.name, "Action": "\(ODataModel.namespace).\(operation.name)"]
                )
            } else {
                var pairs: [(String, String)] = [
                    ("Name", operation.name),
                    ("Function", "\(ODataModel.namespace).\(operation.name)"),
                ]
                if operation.effect == .matches { pairs.append(("EntitySet", operation.entityType)) }
                pairs.append(("IncludeInServiceDocument", "true"))
                xml.empty("FunctionImport", pairs)
            }
        }
        capabilities(into: &xml)
        xml.close("EntityContainer")
    }

    /// What the service supports, for clients that read Capabilities.
    private static func capabilities(into xml: inout XMLText) {
        xml.empty(
            "Annotation",
            [
                "Term": "Capabilities.ConformanceLevel",
                "EnumMember": "Capabilities.ConformanceLevelType/Intermediate",
            ]
        )
        xml.empty("Annotation", ["Term": "Capabilities.BatchSupported", "Bool": "true"])
        xml.empty("Annotation", ["Term": "Capabilities.AsynchronousRequestsSupported", "Bool": "false"])
        xml.open("Annotation", ["Term": "Capabilities.SupportedFormats"])
        xml.open("Collection")
        xml.line("<String>application/json;odata.metadata=minimal;IEEE754Compatible=true</String>")
        xml.line("<String>application/json;odata.metadata=full</String>")
        xml.line("<String>application/json;odata.metadata=none</String>")
        xml.close("Collection")
        xml.close("Annotation")
    }

    private static func operationOrder(_ a: ODataOperation, _ b: ODataOperation) -> Bool {
        (a.name, "\(a.binding)") < (b.name, "\(b.binding)")
    }
}

/// A small XML writer: indented elements, attributes escaped.
struct XMLText {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ raw: String) {
        text += String(repeating: " ", count: depth) + raw + "\n"
    }

    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        open(name, attributes.map { ($0.key, $0.value) })
    }

    mutating func open(_ name: String, _ attributes: [(String, String)]) {
        line("<\(name)\(Self.attributes(attributes))>")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    mutating func empty(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        empty(name, attributes.map { ($0.key, $0.value) })
    }

    mutating func empty(_ name: String, _ attributes: [(String, String)]) {
        line("<\(name)\(Self.attributes(attributes))/>")
    }

    mutating func element(
        _ name: String,
        _ attributes: KeyValuePairs<String, String>,
        children: (inout XMLText) -> Void
    ) {
        open(name, attributes)
        children(&self)
        close(name)
    }

    static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}

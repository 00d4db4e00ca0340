import EntityModel

/// Where a path leads: a field (with its type), or a collection followed by `any`/`all`.
struct ODataPathWalk {
    var path: FieldPath
    var type: ODataValueType?
    var relations: [Relation]
    /// The lambda at the end of the path and what it ranges over.
    var lambda: (lambda: ODataLambda, over: Collection)?

    enum Collection {
        /// Related entities of a collection-valued navigation.
        case related(Relation, ODataStructuredType)
        /// Elements of an array field.
        case elements(Scope.Element)
    }
}

extension ODataTranslator {
    /// Follows a path from its root through properties, complex properties and single-valued
    /// navigations, up to a value or a lambda.
    func walk(_ root: ODataPathRoot, _ segments: [ODataSegment], at position: Int, in scope: Scope)
        throws(ODataQueryError) -> ODataPathWalk
    {
        var segments = segments[...]
        var element: Scope.Element
        switch root {
        case .implicit, .it, .this:
            guard let implicit = scope.implicit else {
                throw unsupported("a property of the outer entity inside a lambda", at: position)
            }
            element = implicit
        case .variable(let name):
            if let variable = scope.variables[name] {
                element = variable
            } else {
                guard let implicit = scope.implicit else {
                    throw unsupported("a property of the outer entity inside a lambda", at: position)
                }
                element = implicit
                segments = [.property(name, .primitive)] + segments
            }
        case .root: throw unsupported("$root", at: position)
        case .alias: throw unsupported("a path after a parameter alias", at: position)
        }
        var walk = ODataPathWalk(path: .root, type: nil, relations: [], lambda: nil)
        if case .primitive(let type) = element {
            walk.type = type.map(ODataValueType.init) ?? .dynamic
        }
        while let segment = segments.popFirst() {
            guard case .structured(let current) = element else {
                throw unsupported("a path into a primitive value", at: position)
            }
            switch segment {
            case .property(let name, _), .navigation(let name, _):
                if let property = current.property(named: name) {
                    walk.path = walk.path.appending(property.path)
                    let elementType = property.type.elementType
                    var next: Scope.Element = .primitive(elementType)
                    if case .complex(let complex) = elementType, let type = model.type(named: complex) {
                        next = .structured(type)
                    }
                    if property.type.isCollection {
                        guard case .lambda(let lambda)? = segments.popFirst(), segments.isEmpty else {
                            throw unsupported("a collection property outside any/all", at: position)
                        }
                        walk.lambda = (lambda, .elements(next))
                        return walk
                    }
                    element = next
                    walk.type = ODataValueType(property.type)
                } else if let navigation = current.navigation(named: name) {
                    let (relation, target) = try self.relation(navigation, from: current, at: position)
                    if navigation.isCollection {
                        guard case .lambda(let lambda)? = segments.popFirst(), segments.isEmpty else {
                            throw unsupported("a collection navigation outside any/all", at: position)
                        }
                        walk.lambda = (lambda, .related(relation, target))
                        return walk
                    }
                    walk.relations.append(relation)
                    walk.path = .root
                    walk.type = .structured(target.name)
                    element = .structured(target)
                } else if current.isOpen {
                    walk.path = walk.path.appending(FieldPath([name]))
                    if case .lambda(let lambda)? = segments.first {
                        guard segments.count == 1 else { throw unsupported("a path after any/all", at: position) }
                        walk.lambda = (lambda, .elements(.primitive(nil)))
                        return walk
                    }
                    walk.type = .dynamic
                    element = .primitive(nil)
                } else {
                    throw unknownProperty(name, of: current, at: position)
                }
            case .cast(let name) where name.name == current.name:
                continue
            default:
                throw unsupported("the path segment \(segment)", at: position)
            }
        }
        return walk
    }

    /// The relation a navigation property follows, and its target type.
    func relation(_ navigation: ODataNavigation, from source: ODataStructuredType, at position: Int)
        throws(ODataQueryError) -> (Relation, ODataStructuredType)
    {
        guard let target = model.type(named: navigation.target), let collection = model.entitySets[navigation.target]
        else { throw unsupported("navigating to \(navigation.target)", at: position) }
        switch navigation.link {
        case .reference(let property):
            guard let field = source.property(named: property) else {
                throw unsupported("navigation \(navigation.name)", at: position)
            }
            return (Relation(.reference(field.path), target: collection), target)
        case .inverse(let property):
            guard let field = target.property(named: property) else {
                throw unsupported("navigation \(navigation.name)", at: position)
            }
            return (Relation(.inverse(field.path), target: collection), target)
        case .containment:
            throw unsupported("filtering through nested collections", at: position)
        }
    }
}

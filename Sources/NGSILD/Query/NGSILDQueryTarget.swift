import EntityModel
import EntityQuery

/// What a `q` attribute path reaches: some instance of an attribute (and of its sub-attributes,
/// nested), then either the instance's values or one member of it.
struct NGSILDQueryTarget {
    /// What is read in the innermost instance.
    enum Reads {
        /// `value` (and `value` + path), `object`, `languageMap`, `vocab`, `valueList`, `json`.
        case values(valuePath: [String], vocab: @Sendable (String) -> String)
        /// One member such as `observedAt` (plus keys below it); for no instances, a document path.
        case member([String])
    }

    /// Stored keys of the attribute and its sub-attributes, outermost first; empty for `_meta` paths.
    var instances: [String]
    var reads: Reads

    /// The path exists: some instance of the attribute (with `.member` or `[…]`: that value, not null).
    var exists: Filter {
        switch reads {
        case .values(let valuePath, _) where valuePath.isEmpty:
            return inInstances(.and([]))
        case .values(let valuePath, _):
            let paths =
                [["value"] + valuePath, ["json"] + valuePath]
                + (valuePath.count == 1 ? [["languageMap"] + valuePath] : [])
            return inInstances(.or(paths.map { .isNull(FieldPath($0), negated: true) }))
        case .member(let keys):
            return inInstances(.isNull(FieldPath(keys), negated: true))
        }
    }

    /// Some value the path reaches satisfies `leaf` (a test of the value at the path it is given).
    /// `dateTime`: the query value is a date-time, also compared with `value.@value`. `strings`: a
    /// query value is a string; else `object`, `languageMap` and `vocab`, which hold only strings,
    /// cannot match and are not tested (a smaller query for the database).
    func some(_ leaf: @escaping (FieldPath) -> Filter, dateTime: Bool, strings: Bool = true) -> Filter {
        let element = leaf(.root)
        func each(_ keys: [String]) -> Filter { .anyElement(FieldPath(keys), .arrayElements, where: element) }
        switch reads {
        case .member(let keys):
            return inInstances(instances.isEmpty ? leaf(FieldPath(keys)) : each(keys))
        case .values(let valuePath, let vocab):
            var candidates = [each(["value"] + valuePath), each(["json"] + valuePath)]
            if dateTime { candidates.append(leaf(FieldPath(["value"] + valuePath + ["@value"]))) }
            if valuePath.isEmpty {
                if strings {
                    candidates.append(each(["object"]))
                    candidates.append(.anyElement("languageMap", .memberValues, where: each([])))
                    candidates.append(.anyElement("vocab", .arrayElements, where: vocabLeaf(leaf, vocab)))
                }
                candidates.append(each(["valueList"]))
            } else if valuePath.count == 1, strings {
                candidates.append(each(["languageMap"] + valuePath))
            }
            return inInstances(.or(candidates))
        }
    }

    /// `leaf` on a vocab value, with string query values mapped like type names.
    private func vocabLeaf(_ leaf: (FieldPath) -> Filter, _ vocab: (String) -> String) -> Filter {
        switch leaf(.root) {
        case .compare(let path, let op, .json(.string(let name))):
            return .compare(path, op, .json(.string(vocab(name))))
        case .or(let children):
            return .or(children.map { child in vocabLeaf({ _ in child }, vocab) })
        case let other:
            return other
        }
    }

    /// `filter` in some instance of the attribute (and sub-attributes, nested).
    private func inInstances(_ filter: Filter) -> Filter {
        instances.reversed().reduce(filter) { inner, key in .anyElement(FieldPath([key]), .arrayElements, where: inner)
        }
    }
}

/// Terms combined with AND (`;`) and OR (`|`), as the NGSI-LD query languages write them.
///
/// `q`, `scopeQ` and the entity type selection share this structure: AND binds tighter than OR,
/// and parentheses group. A group of one operator is one node (`a;b;c` is one ``and(_:)`` with three
/// children); a parenthesized group stays a node of its own (`(a;b);c` is an ``and(_:)`` inside an
/// ``and(_:)``), so the tree keeps what was written.
///
/// ```swift
/// let query = try NGSILDQueryParser().parseQuery("(a==1|b==2);c")
/// // .and([.or([.term(a==1), .term(b==2)]), .term(c)])
/// query.description   // (a==1|b==2);c
/// ```
public indirect enum NGSILDExpression<Term: Sendable & Hashable>: Sendable, Hashable {
    /// A single term, such as `temperature>20` or `/Madrid/#`.
    case term(Term)
    /// All children hold (`;`).
    case and([NGSILDExpression<Term>])
    /// At least one child holds (`|`).
    case or([NGSILDExpression<Term>])
}

extension NGSILDExpression {
    /// Every term, in the order written.
    public var terms: [Term] {
        switch self {
        case .term(let term): return [term]
        case .and(let children), .or(let children): return children.flatMap(\.terms)
        }
    }
}

extension NGSILDExpression: CustomStringConvertible where Term: CustomStringConvertible {
    /// The expression written back in its query language; parsing it gives the same tree.
    public var description: String {
        switch self {
        case .term(let term): return term.description
        case .and(let children): return children.map { $0.written(insideAnd: true) }.joined(separator: ";")
        case .or(let children): return children.map { $0.written(insideAnd: false) }.joined(separator: "|")
        }
    }

    /// Parenthesized unless a term, or an AND inside an OR (which binds tighter anyway).
    private func written(insideAnd: Bool) -> String {
        switch self {
        case .term: return description
        case .and where !insideAnd: return description
        case .and, .or: return "(\(description))"
        }
    }
}

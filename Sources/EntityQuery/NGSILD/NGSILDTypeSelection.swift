/// A parsed entity type selection (the `type` parameter, clause 4.17): entity types combined with
/// `;` (AND: the entity has all of them) and `,` or `|` (OR), grouped with parentheses.
///
/// Names are kept as written (short names or IRIs); expanding them with the `@context` is the
/// caller's job. `type=*` (every type) is not a selection: check for it before parsing.
///
/// ```swift
/// let types = try NGSILDQueryParser().parseTypeSelection("(Building;Landmark),Vehicle")
/// // .or([.and([.term("Building"), .term("Landmark")]), .term("Vehicle")])
/// ```
public typealias NGSILDTypeSelection = NGSILDExpression<String>

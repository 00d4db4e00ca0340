import EntityQuery

/// What ``NGSILDQueryParser`` says about `text` as the value of `parameter` (`q`, `scopeQ`, `type`,
/// or any other name for a pattern); `nil` when it parses.
func ngsildError(
    _ parameter: String,
    _ text: String,
    parser: NGSILDQueryParser = NGSILDQueryParser()
) -> NGSILDQueryError? {
    do throws(NGSILDQueryError) {
        switch parameter {
        case "q": _ = try parser.parseQuery(text)
        case "scopeQ": _ = try parser.parseScopeQuery(text)
        case "type": _ = try parser.parseTypeSelection(text)
        default: _ = try parser.parsePattern(text, parameter: parameter)
        }
        return nil
    } catch {
        return error
    }
}

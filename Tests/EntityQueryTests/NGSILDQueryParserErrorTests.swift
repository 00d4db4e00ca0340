import EntityQuery
import Testing

struct NGSILDQueryParserErrorTests {
    static let malformed: [(String, NGSILDQueryError.Code, Int, String)] = [
        ("", .invalidName, 0, "expected an attribute name"),
        ("a==1;", .invalidName, 5, "expected an attribute name"),
        ("a==1|", .invalidName, 5, "expected an attribute name"),
        ("a==1;;b==2", .invalidName, 5, "expected an attribute name"),
        ("()", .invalidName, 1, "expected an attribute name"),
        ("==1", .invalidName, 0, "expected an attribute name"),
        ("1a==2", .invalidName, 0, "an attribute name must start with a letter"),
        ("_a==2", .invalidName, 0, "an attribute name must start with a letter"),
        ("a.==1", .invalidName, 2, "expected a name"),
        ("a.1b==1", .invalidName, 2, "a name must start with a letter"),
        ("a{T,:b}==1", .invalidName, 4, "expected an entity type"),
        ("(a==1", .syntax, 5, "expected ')'"),
        ("((a==1)", .syntax, 7, "expected ')'"),
        ("a==1|(b==2", .syntax, 10, "expected ')'"),
        ("a==1)", .syntax, 4, "')' without a matching '('"),
        ("(a==1))", .syntax, 6, "')' without a matching '('"),
        ("(a==1 b)", .syntax, 5, "unexpected ' ' after the value"),
        ("(a)b", .syntax, 3, "expected ';' or '|', found 'b'"),
        ("((a)b)", .syntax, 4, "expected ';', '|' or ')', found 'b'"),
        ("a=~b", .syntax, 1, "unknown operator '=~'"),
        ("a=1", .syntax, 1, "unknown operator '='"),
        ("a>=>1", .syntax, 1, "unknown operator '>=>'"),
        ("a = 1", .syntax, 1, "unexpected ' ' after the attribute"),
        ("a==1 ", .syntax, 4, "unexpected ' ' after the value"),
        ("a==12abc", .syntax, 5, "unexpected 'a' after the value"),
        ("a==1,2..3", .syntax, 6, "unexpected '.' after the list"),
        ("a==1..2,3", .syntax, 7, "unexpected ',' after the range"),
        ("a[b==1", .syntax, 3, "expected '.' or ']', found '='"),
        ("a{b==1", .syntax, 3, "expected '}', found '='"),
        ("a{T:b", .syntax, 5, "expected '}', found the end"),
        ("a{T;b}", .syntax, 3, "expected '}', found ';'"),
        ("a{T,U;b}", .syntax, 5, "expected ',' or ':' after an entity type, found ';'"),
        ("a>1..5", .syntax, 3, "a range needs '==' or '!='"),
        ("a<1,2", .syntax, 3, "a list of values needs '==' or '!='"),
        ("a==", .invalidValue, 3, "expected a value"),
        ("a==1..", .invalidValue, 6, "expected a value"),
        ("a==1,", .invalidValue, 5, "expected a value"),
        ("a==;b", .invalidValue, 3, "expected a value"),
        ("a==1.", .invalidValue, 5, "invalid number, expected a digit after '.'"),
        ("a==1.e5", .invalidValue, 5, "invalid number, expected a digit after '.'"),
        ("a==01", .invalidValue, 4, "invalid number, leading zeros are not allowed"),
        ("a==-", .invalidValue, 4, "invalid number, expected a digit"),
        ("a==1e", .invalidValue, 5, "invalid number, expected a digit in the exponent"),
        (#"a=="abc"#, .invalidValue, 3, "unterminated string"),
        (#"a=="abc\""#, .invalidValue, 3, "unterminated string"),
        (#"a=="x\q""#, .invalidValue, 5, #"invalid escape '\q' in a string"#),
        ("a==Eiffel", .invalidValue, 3, #"expected a value; quote strings with '"'"#),
        ("a=='x'", .invalidValue, 3, #"strings are quoted with '"', not "'""#),
        ("a>true", .invalidValue, 2, "'true' can only follow '==' or '!='"),
        ("a<=false", .invalidValue, 3, "'false' can only follow '==' or '!='"),
        ("a<urn:x", .invalidValue, 2, "a URI can only follow '==' or '!='"),
        ("a==true..false", .invalidValue, 3, "a range is between numbers, strings, date-times, dates or times"),
        (#"a==1.."b""#, .invalidValue, 6, "both ends of a range must be of the same kind"),
        ("a==2017-13-01", .invalidValue, 3, "invalid date '2017-13-01'"),
        ("a==2017-02-30", .invalidValue, 3, "invalid date '2017-02-30'"),
        ("a==2017-12-2", .invalidValue, 3, "invalid date, expected YYYY-MM-DD"),
        ("a==2017-12-24T25:00:00Z", .invalidValue, 3, "invalid date-time '2017-12-24T25:00:00Z'"),
        ("a==2017-12-24T12:00Z", .invalidValue, 14, "invalid date-time, expected hh:mm:ss"),
        ("a==12:00", .invalidValue, 3, "invalid time, expected hh:mm:ss"),
        ("a==24:00:00", .invalidValue, 3, "invalid time '24:00:00'"),
        ("a==urn:", .invalidValue, 7, "expected the rest of a URI after ':'"),
        ("a==urn:a b", .invalidValue, 8, "' ' cannot be part of a URI"),
        ("a==urn:a\"b", .invalidValue, 8, "'\"' cannot be part of a URI"),
        ("a~=a**", .invalidPattern, 5, "'*' cannot follow another quantifier"),
        ("a~=", .invalidPattern, 3, "expected a pattern"),
        ("a~=|b==1", .invalidPattern, 3, "expected a pattern"),
        ("a~=(x", .invalidPattern, 5, "expected ')'"),
        (#"a~="a(?=b)""#, .invalidPattern, 5, "'(?' groups (lookaround, flags, non-capturing) are not supported"),
        (#"a~="x\\d""#, .invalidPattern, 5, #"unsupported escape '\d'"#),
        (#"a~="\u00e9**""#, .invalidPattern, 11, "'*' cannot follow another quantifier"),
        (#"a~="a|""#, .invalidPattern, 6, "empty alternative"),
        (#"a~="x"y"#, .syntax, 6, "unexpected 'y' after the pattern"),
        ("é==", .invalidValue, 3, "expected a value"),
        ("température>=\"x\";1", .invalidName, 17, "an attribute name must start with a letter"),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedQueriesAtTheRightPosition(
        text: String,
        code: NGSILDQueryError.Code,
        position: Int,
        message: String
    ) {
        let error = ngsildError("q", text)
        #expect(error?.message == message)
        #expect(error?.position == position)
        #expect(error?.code == code)
        #expect(error?.parameter == "q")
    }

    @Test func describesTheErrorWithTheParameterAndPosition() {
        #expect(ngsildError("q", "speed>4;level<")?.description == "q: expected a value at position 14")
        #expect(ngsildError("q", "")?.description == "q: expected an attribute name at position 0")
        #expect(
            ngsildError("q", #"name=="Eiffel Tower";height>="#)?.description == "q: expected a value at position 29"
        )
    }

    @Test func rejectsNestingDeeperThanTheMaximum() {
        let deep = String(repeating: "(", count: 33) + "a" + String(repeating: ")", count: 33)
        let error = ngsildError("q", deep)
        #expect(error?.code == .tooDeep)
        #expect(error?.position == 32)
        let shallow = ngsildError("q", "(a|(b))", parser: NGSILDQueryParser(maximumDepth: 1))
        #expect(shallow?.code == .tooDeep)
        #expect(shallow?.position == 3)
        let linked = ngsildError("q", "a{b{c{d}}}", parser: NGSILDQueryParser(maximumDepth: 2))
        #expect(linked?.code == .tooDeep)
        #expect(linked?.position == 5)
    }

    @Test func rejectsHugeNestingWithoutCrashing() {
        let parser = NGSILDQueryParser(maximumLength: 100_000)
        let groups = String(repeating: "(", count: 5000) + "a" + String(repeating: ")", count: 5000)
        #expect(ngsildError("q", groups, parser: parser)?.code == .tooDeep)
        #expect(ngsildError("q", "a~=" + groups, parser: parser)?.code == .tooDeep)
        #expect(ngsildError("scopeQ", groups, parser: parser)?.code == .tooDeep)
        #expect(ngsildError("idPattern", groups, parser: parser)?.code == .tooDeep)
    }

    @Test func rejectsInputLongerThanTheMaximum() {
        let text = "a==" + String(repeating: "1", count: 16_382)
        let error = ngsildError("q", text)
        #expect(error?.code == .tooLong)
        #expect(error?.position == 16_384)
        #expect(ngsildError("q", text, parser: NGSILDQueryParser(maximumLength: 16_385)) == nil)
        #expect(
            ngsildError("type", "ab", parser: NGSILDQueryParser(maximumLength: 1))?.description
                == "type: longer than 1 bytes at position 1"
        )
    }
}

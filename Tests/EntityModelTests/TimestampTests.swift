import EntityModel
import Foundation
import Testing

struct TimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (-0.001, "1969-12-31T23:59:59.999Z"),
        (1_709_164_800.5, "2024-02-29T00:00:00.500Z"), (951_782_400, "2000-02-29T00:00:00.000Z"),
        (253_402_300_799.999, "9999-12-31T23:59:59.999Z"), (-62_135_596_800, "0001-01-01T00:00:00.000Z"),
    ])
    func formatsUTCWithMilliseconds(seconds: Double, expected: String) {
        #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test(arguments: [
        "2024-01-02T03:04:05.678Z", "2024-01-02T03:04:05.001Z", "2024-12-31T23:59:59.999Z",
        "1999-06-15T12:00:00.123Z", "2024-01-02T03:04:05.009Z",
    ])
    func roundTripsItsOwnFormat(text: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(Timestamp.format(date) == text)
    }

    @Test(arguments: [
        ("2024-01-02T10:00:00+02:00", "2024-01-02T08:00:00.000Z"),
        ("2024-01-02T00:30:00-01:00", "2024-01-02T01:30:00.000Z"),
        ("2024-01-02T03:04:05", "2024-01-02T03:04:05.000Z"), ("2024-01-02 03:04:05.5z", "2024-01-02T03:04:05.500Z"),
    ])
    func normalizesOffsetsToUTC(text: String, expected: String) throws {
        #expect(Timestamp.parse(text).map(Timestamp.format) == expected)
    }

    @Test(arguments: [
        ("2024-01-02", true), ("2024-02-29", true), ("2023-02-29", false), ("1900-02-29", false), ("2000-02-29", true),
        ("2024-13-01", false), ("2024-00-10", false), ("2024-04-31", false), ("2024-1-02", false),
        ("2024-01-02T00:00:00", false),
        ("24-01-02", false), ("2024/01/02", false), ("", false),
    ])
    func validatesDates(text: String, valid: Bool) {
        #expect(DateValidator.isDate(text) == valid)
    }

    @Test(arguments: [
        ("2024-01-02T03:04:05", true), ("2024-01-02T03:04:05Z", true), ("2024-01-02T03:04:05.123456+05:30", true),
        ("2024-01-02T10:00:00+00:00", true), ("2024-01-02t03:04:05z", true), ("2024-01-02T24:00:00", false),
        ("2024-01-02T03:60:00", false), ("2024-01-02T03:04", false), ("2024-01-02T03:04:05.", false),
        ("2024-01-02T03:04:05+0100", false), ("2024-01-02T03:04:05+24:00", false), ("2024-02-30T03:04:05", false),
        ("2024-01-02", false), ("2024-01-02T03:04:05Zjunk", false),
    ])
    func validatesDateTimes(text: String, valid: Bool) {
        #expect(DateValidator.isDateTime(text) == valid)
    }
}

@Suite struct EntityMetaTests {
    @Test(arguments: [nil, "alice", "quote\"d"])
    func writtenMetaIsTheMetaObject(createdBy: String?) throws {
        let entity = Entity(
            collection: CollectionPath("products"),
            id: "P1",
            values: [:],
            version: 12,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.123),
            updatedAt: Date(timeIntervalSince1970: 1_700_000_999.5),
            createdBy: createdBy
        )
        var bytes: [UInt8] = []
        entity.writeMeta(into: &bytes)
        #expect(try JSON(parsing: bytes) == entity.meta)
        #expect(String(decoding: bytes, as: UTF8.self) == entity.meta.serialized())
    }
}

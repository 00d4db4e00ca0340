import Foundation
import Testing

@testable import EntityHubCLI

@Suite struct ByteInputTests {
    @Test func readsARegularFileInChunksAndKnowsItsSize() throws {
        let file = try TemporaryFile(Array(repeating: UInt8(ascii: "x"), count: 10_000))
        var input = try ByteInput(path: file.path, chunkSize: 4096)
        #expect(input.totalBytes == 10_000)
        #expect(input.name == file.path)
        var buffer: [UInt8] = []
        var sizes: [Int] = []
        while true {
            let count = try input.read(appendingTo: &buffer)
            if count == 0 { break }
            sizes.append(count)
            #expect(input.bytesRead == buffer.count)
        }
        #expect(sizes == [4096, 4096, 1808])
        #expect(buffer.count == 10_000)
        #expect(input.isAtEnd)
        #expect(try input.read(appendingTo: &buffer) == 0)
    }

    @Test func aPipeHasNoKnownSize() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let payload = Array("hello\n".utf8)
        #expect(write(descriptors[1], payload, payload.count) == payload.count)
        close(descriptors[1])
        var input = ByteInput(descriptor: descriptors[0], name: "stdin", closesOnDeinit: true)
        #expect(input.totalBytes == nil)
        var buffer: [UInt8] = []
        while try input.read(appendingTo: &buffer) > 0 {}
        #expect(buffer == payload)
        #expect(input.bytesRead == 6)
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        let error = #expect(throws: TransferError.self) { try ByteInput(path: "/nonexistent/orders.csv") }
        #expect(error?.description == "/nonexistent/orders.csv: cannot open the input: No such file or directory")
    }

    @Test func aDirectoryIsRefused() {
        let directory = FileManager.default.temporaryDirectory.path
        let error = #expect(throws: TransferError.self) { try ByteInput(path: directory) }
        #expect(error?.description == "\(directory): cannot open the input: it is a directory")
    }

    @Test func peekingAtTheFirstByteKeepsEveryByteReadable() throws {
        let text = "\u{FEFF}  \n\t[1, 2]"
        var input = ByteInput(bytes: Array(text.utf8), chunkSize: 2)
        #expect(try input.firstNonWhitespaceByte() == UInt8(ascii: "["))
        var buffer: [UInt8] = []
        while try input.read(appendingTo: &buffer) > 0 {}
        #expect(buffer == Array(text.utf8))
    }

    @Test func peekingAnEmptyOrBlankInputFindsNothing() throws {
        var empty = ByteInput(bytes: [])
        #expect(try empty.firstNonWhitespaceByte() == nil)
        var blank = ByteInput(bytes: Array(" \r\n ".utf8), chunkSize: 1)
        #expect(try blank.firstNonWhitespaceByte() == nil)
    }

    @Test func aByteOrderMarkIsSkippedOnlyAtTheStart() throws {
        var input = ByteInput(bytes: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF], chunkSize: 1)
        #expect(try input.firstNonWhitespaceByte() == 0xEF)
    }
}

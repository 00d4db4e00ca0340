import ArgumentParser
import EntityModel
import Foundation

/// `--data JSON` or `--file PATH` (`-` for standard input): the body of a write.
struct JSONInputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The JSON body, e.g. '{\"name\": \"Lamp\"}'.")
    var data: String?

    @Option(name: .shortAndLong, help: "Read the JSON body from a file ('-' for standard input).")
    var file: String?

    func validate() throws {
        if data != nil && file != nil { throw ValidationError("give either --data or --file, not both") }
    }

    /// The body, or `nil` when neither option was given.
    func body() throws -> JSON? {
        let bytes: [UInt8]
        let source: String
        if let data {
            bytes = Array(data.utf8)
            source = "--data"
        } else if let file {
            source = file == "-" ? "standard input" : file
            if file == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let contents = FileManager.default.contents(atPath: file) else {
                    throw CLIError("cannot read \(file)")
                }
                bytes = Array(contents)
            }
        } else {
            return nil
        }
        do {
            return try JSON(parsing: bytes)
        } catch {
            throw CLIError("\(source) is not valid JSON: \(error)")
        }
    }

    /// The body, failing when none was given.
    func requiredBody() throws -> JSON {
        guard let body = try body() else { throw ValidationError("give the JSON body with --data or --file") }
        return body
    }
}

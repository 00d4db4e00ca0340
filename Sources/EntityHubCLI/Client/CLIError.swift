/// A mistake in how a client command was used, or its input; printed as one line.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

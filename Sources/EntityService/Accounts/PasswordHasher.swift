import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing of passwords, run on NIO's blocking thread pool so that its deliberate slowness
/// never holds up a Swift concurrency thread that serves requests.
struct PasswordHasher: Sendable {
    /// bcrypt's cost: each step doubles the work. 12 takes about a quarter of a second.
    let cost: UInt8

    func hash(_ password: String) async throws(EntityError) -> String {
        let cost = cost
        do {
            return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
        } catch {
            throw EntityError(.internal, "internal error")
        }
    }

    func verify(_ password: String, hash: String) async -> Bool {
        (try? await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }) ?? false
    }

    /// A hash of no one's password at this cost, verified when a login names an unknown user, so that
    /// the answer takes as long as for a known one.
    func makeDecoy() -> String { Bcrypt.hash(Secrets.random(), cost: cost) }
}

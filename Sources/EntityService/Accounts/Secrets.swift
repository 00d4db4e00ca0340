import Crypto
import Foundation

/// Random secrets and their stored form: only the SHA-256 of a secret is ever stored, and secrets
/// are compared in constant time.
///
/// API keys and session tokens are long random strings, so a fast hash is enough to make a leaked
/// table useless; passwords, which people choose, are hashed with bcrypt instead (``PasswordHasher``).
enum Secrets {
    /// A random string of `bytes` bytes of entropy, in unpadded base64url (no `:` or `.`).
    static func random(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A credential id: `prefix` and 16 random hex digits, e.g. `KEY-3f9a0c…`.
    static func identifier(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let value = UInt64.random(in: .min ... .max, using: &generator)
        let hex = String(value, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The lowercase hex SHA-256 of `secret`: what the store keeps.
    static func hash(_ secret: String) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(secret.utf8)) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Whether `secret` hashes to `storedHash`, comparing every byte whatever the first difference
    /// (and without building the hex text: this runs on every signed request).
    static func matches(_ secret: String, storedHash: String) -> Bool {
        let stored = storedHash.utf8
        guard stored.count == 64 else { return false }
        var difference: UInt8 = 0
        var index = stored.startIndex
        for byte in SHA256.hash(data: Array(secret.utf8)) {
            difference |= stored[index] ^ hexDigits[Int(byte >> 4)]
            index = stored.index(after: index)
            difference |= stored[index] ^ hexDigits[Int(byte & 0x0f)]
            index = stored.index(after: index)
        }
        return difference == 0
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

/// The admin API key the test servers are started with (as `ENTITYHUB_ADMIN_KEY`), the same one the
/// Python client tests use.
public enum TestCredentials {
    /// `<id>:<secret>`.
    public static let adminKey = "SU-000:test"
    /// The `Authorization` header value that signs a request in as the admin.
    public static let adminAuthorization = "ApiKey \(adminKey)"
}

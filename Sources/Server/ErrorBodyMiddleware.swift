import Hummingbird

/// Gives errors raised by the HTTP layer itself (no route for a path, a method a route lacks) the
/// same JSON error body as every other error, instead of an empty response.
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            if error.status == .notFound {
                return RESTError(
                    .notFound,
                    "NOT_FOUND",
                    "no such path \(request.uri.path); the API lives under /api/v1"
                ).response()
            }
            return RESTError(error).response()
        }
    }
}

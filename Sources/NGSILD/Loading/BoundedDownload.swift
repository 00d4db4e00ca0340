import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One download that keeps at most `maximumSize` bytes: a larger answer is cancelled as soon as it
/// grows past the limit. The session delegate's callbacks arrive on URLSession's queue; a lock guards
/// the state they share with the caller.
final class BoundedDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let url: String
    private let maximumSize: Int
    private let lock = NSLock()
    private var received = Data()
    private var continuation: CheckedContinuation<Result<Data, NGSILDError>, Never>?

    init(url: String, maximumSize: Int) {
        self.url = url
        self.maximumSize = maximumSize
    }

    /// Runs the request in a session of its own and returns the body of a 2xx answer.
    func run(_ request: URLRequest, configuration: URLSessionConfiguration) async -> Result<Data, NGSILDError> {
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                lock.withLock { self.continuation = continuation }
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let isTooLarge = lock.withLock {
            received.append(data)
            return received.count > maximumSize
        }
        guard isTooLarge else { return }
        dataTask.cancel()
        finish(.failure(failure("the document is larger than \(maximumSize) bytes")))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error {
            finish(.failure(failure(Self.describe(error))))
        } else if let status = (task.response as? HTTPURLResponse)?.statusCode, !(200..<300).contains(status) {
            finish(.failure(failure("the server answered HTTP \(status)")))
        } else {
            finish(.success(lock.withLock { received }))
        }
    }

    /// Resumes the caller once; later calls (a cancellation after a failure) change nothing.
    private func finish(_ result: Result<Data, NGSILDError>) {
        let waiting = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: result)
    }

    private func failure(_ message: String) -> NGSILDError {
        NGSILDError(.contextNotAvailable, message, url: url)
    }

    private static func describe(_ error: any Error) -> String {
        switch (error as? URLError)?.code {
        case .timedOut?: return "the download timed out"
        case .cancelled?: return "the download was cancelled"
        case .cannotConnectToHost?, .cannotFindHost?, .dnsLookupFailed?, .notConnectedToInternet?:
            return "the server cannot be reached"
        default: return "the download failed"
        }
    }
}

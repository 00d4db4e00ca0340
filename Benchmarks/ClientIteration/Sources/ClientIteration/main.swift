import EntityClient
import Foundation

// Usage: ClientIteration ENDPOINT COLLECTION PAGE_SIZE [ROUNDS]
// Iterates every entity of COLLECTION through a ResourceSet and prints entities/s of the best round.
let arguments = CommandLine.arguments
guard arguments.count >= 4, let pageSize = Int(arguments[3]) else {
    print("usage: ClientIteration ENDPOINT COLLECTION PAGE_SIZE [ROUNDS]")
    exit(1)
}
let rounds = arguments.count > 4 ? Int(arguments[4]) ?? 3 : 3
var configuration = EntityClient.Configuration()
configuration.pageSize = pageSize
let client = try EntityClient(
    endpoint: arguments[1],
    apiKey: ProcessInfo.processInfo.environment["ENTITYHUB_API_KEY"],
    configuration: configuration
)
let set = client.collection(arguments[2]).all.order(by: "id")
let clock = ContinuousClock()
var best = Duration.seconds(1_000_000)
var count = 0
for _ in 0..<rounds {
    count = 0
    let elapsed = try await clock.measure {
        for try await _ in set { count += 1 }
    }
    best = min(best, elapsed)
}
let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
print("\(count) \(seconds) \(Int(Double(count) / seconds))")

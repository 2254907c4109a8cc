import Foundation
import Testing
import TrellisServer

/// Bounded concurrency checks (counts and time are capped; this is not a benchmark).
@Suite struct LoadTests {
    @Test func twoHundredConcurrentKeepAliveConnections() async throws {
        try await withServer(threads: 2) { server in
            // All 200 connections are open at once and each has a request outstanding every round.
            let clients = try (0..<200).map { _ in try RawClient(port: server.port, timeout: 10) }
            var failures = 0
            for round in 0..<10 {
                for (index, client) in clients.enumerated() {
                    try client.send("GET /items/\(index)?q=\(round) HTTP/1.1\r\nHost: t\r\n\r\n")
                }
                for (index, client) in clients.enumerated() {
                    let response = try client.readResponse()
                    if response.status != 200 || response.text != #"{"item_id":\#(index),"q":"\#(round)"}"# { failures += 1 }
                }
            }
            #expect(failures == 0)
        }
    }
}

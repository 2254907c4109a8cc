import Testing
import Trellis
import TrellisServer

/// Keeps the body of every response it passes on, as a caching middleware would.
private struct KeepingBodies: PassThroughMiddleware {
    let kept: Locked<[[UInt8]]>

    func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        let response = try await next(input)
        if let bytes = response.body.bytes { kept.withLock { $0.append(bytes) } }
        return response
    }
}

private struct Numbered: Encodable, Sendable {
    let id: Int
    let name: String
}

@Suite struct StorageReuseTests {
    /// Once a JSON response is written, the server gives its storage to the next JSON body made
    /// on the loop's thread (no allocation per response). A body something else kept is not
    /// written over: each response, and each kept copy, reads as it was made.
    @Test func aJSONBodyAMiddlewareKeptIsNotWrittenOverByTheNext() async throws {
        let kept = Locked<[[UInt8]]>([])
        let app = Pipeline(reporter: .discarding) {
            KeepingBodies(kept: kept)
            Router {
                Get("/numbered/{id}") { request in
                    Numbered(id: try request.parameters.require("id", as: Int.self), name: String(repeating: "n", count: 40))
                }
            }
        }
        let expected = (1...4).map { #"{"id":\#($0),"name":"\#(String(repeating: "n", count: 40))"}"# }
        try await withServer(app) { server in
            let port = server.port
            let received: [String] = try await onOwnThread {
                let client = try RawClient(port: port)
                var received: [String] = []
                for id in 1...4 {
                    try client.send("GET /numbered/\(id) HTTP/1.1\r\nHost: t\r\n\r\n")
                    received.append(String(decoding: try client.readResponse().body, as: UTF8.self))
                }
                return received
            }
            #expect(received == expected)
        }
        #expect(kept.withLock { $0 }.map { String(decoding: $0, as: UTF8.self) } == expected)
    }
}

import Trellis
import TrellisReferenceApp
import TrellisServer

/// A stream writer a handler kept after its response (for the dead-writer test).
let stashedWriter = Locked<ResponseBodyWriter?>(nil)

/// The reference app (its middleware and routes) plus routes that exercise the server: slow,
/// throwing, streaming and large responses.
func makeServerTestApp() -> some Responder<Request, Response> {
    ReferenceApp.make {
        Get("/slow") { request in
            let milliseconds = Int(request.query["ms"] ?? "300") ?? 300
            try await Task.sleep(for: .milliseconds(milliseconds))
            return "slept"
        }
        Get("/throw") { _ -> String in throw CancellationError() }
        Get("/stream") { _ in
            Response(headers: [.contentType: "text/plain"], body: .stream { writer in
                for part in ["one ", "two ", "three"] { try await writer.write(part) }
            })
        }
        Get("/big") { request in
            [UInt8](repeating: UInt8(ascii: "x"), count: Int(request.query["n"] ?? "65536") ?? 65536)
        }
        Get("/big-text") { request in
            // Two-byte characters: the length sent is the UTF-8 count, not the character count.
            String(repeating: "é", count: Int(request.query["n"] ?? "20000") ?? 20000)
        }
        Get("/path/{name}") { request in try request.parameters.require("name") }
        Get("/split") { _ in Response(headers: ["X-Bad": "a\r\nInjected: yes"], body: Array("ok".utf8)) }
        Post("/count") { request in
            // Streams the body: never holds more than one chunk.
            var total = 0
            var largest = 0
            for try await chunk in request.body {
                total += chunk.count
                largest = max(largest, chunk.count)
            }
            return "\(total) bytes, largest chunk \(largest)"
        }
        Post("/reject") { _ in HTTPStatus.unauthorized }
        Post("/limited") { request in
            var request = request
            request.body.limit(to: 10)
            return "\(try await request.body.collect().count)"
        }
        Get("/status/{code}") { request in
            Response(status: HTTPStatus(code: try request.parameters.require("code", as: Int.self), reasonPhrase: "Custom"))
        }
        Get("/reason/{phrase}") { request in
            Response(status: HTTPStatus(code: 400, reasonPhrase: try request.parameters.require("phrase")), body: Array("no".utf8))
        }
        Get("/host") { request in request.headers[.host] ?? "-" }
        Get("/sized/{written}") { request in
            let written = try request.parameters.require("written", as: Int.self)
            return Response(body: .stream(length: 10) { writer in
                try await writer.write([UInt8](repeating: UInt8(ascii: "s"), count: written))
            })
        }
        Get("/keep-writer") { _ in
            Response(body: .stream { writer in
                stashedWriter.withLock { $0 = writer }
                try await writer.write("kept")
            })
        }
        Get("/late-write") { _ in
            guard let writer = stashedWriter.withLock({ $0 }) else { return "no writer" }
            do {
                try await writer.write("LATE BYTES")
                return "wrote"
            } catch {
                return "threw"
            }
        }
        Get("/concurrent-stream") { _ in
            Response(body: .stream { writer in
                // Writers on other threads, at the same time: each piece must arrive whole.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for task in 0..<4 {
                        group.addTask {
                            try await Task.detached {
                                for index in 0..<50 { try await writer.write("[\(task):\(index)]") }
                            }.value
                        }
                    }
                    try await group.waitForAll()
                }
            })
        }
    }
}

/// Starts a server for one test on an ephemeral loopback port and shuts it down afterwards.
func withServer<T>(
    host: String = "127.0.0.1",
    threads: Int = 1,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (HTTPServer) async throws -> T
) async throws -> T {
    try await withServer(makeServerTestApp(), host: host, threads: threads, configure: configure, body)
}

/// Starts a server for `app` for one test on an ephemeral loopback port and shuts it down afterwards.
func withServer<App: Responder, T>(
    _ app: App,
    host: String = "127.0.0.1",
    threads: Int = 1,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (HTTPServer) async throws -> T
) async throws -> T where App.Input == Request, App.Output == Response {
    var configuration = ServerConfiguration(host: host, port: 0, threads: threads)
    configuration.timeouts.drain = .seconds(5)
    configuration.announces = false
    configure(&configuration)
    let server = try HTTPServer.start(app, configuration: configuration)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

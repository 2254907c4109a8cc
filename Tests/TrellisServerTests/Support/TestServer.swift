import Trellis
import TrellisServer

/// The reference app plus routes that exercise the server: slow, throwing, streaming and large responses.
func makeServerTestApp() -> some Responder<Request, Response> {
    Pipeline {
        ProcessTime()
        CORS(allowOrigins: ["https://example.com"], allowCredentials: true, expose: ["X-Process-Time"])
        Router {
            Get("/") { _ in "Hello, World!" }
            Get("/items/{item_id}") { request in
                "item \(try request.parameters.require("item_id", as: Int.self)) q=\(request.query["q"] ?? "-")"
            }
            Post("/echo") { request in
                Response(headers: [.contentType: request.headers[.contentType] ?? "application/octet-stream"], body: try await request.body.collect())
            }
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
            Get("/path/{name}") { request in try request.parameters.require("name") }
            Get("/split") { _ in Response(headers: ["X-Bad": "a\r\nInjected: yes"], body: Array("ok".utf8)) }
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
    var configuration = ServerConfiguration(host: host, port: 0, threads: threads)
    configuration.timeouts.drain = .seconds(5)
    configure(&configuration)
    let server = try HTTPServer.start(makeServerTestApp(), configuration: configuration)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

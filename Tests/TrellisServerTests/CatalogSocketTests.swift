import Foundation
import Testing
import Trellis
import TrellisMiddleware
import TrellisServer

/// Access-log lines the catalog app wrote.
let catalogLog = Locked<[String]>([])

struct Admin: Sendable {}

/// Every catalog middleware over real sockets.
func makeCatalogApp() -> some Responder<Request, Response> {
    Pipeline(reporter: .discarding) {
        RequestID()
        AccessLog(sink: AccessLog.Sink { line in catalogLog.withLock { $0.append(String(decoding: line, as: UTF8.self)) } })
        SecurityHeaders(proxies: TrustedProxies(["127.0.0.1"]))
        TrustedHost(["localhost", "127.0.0.1", "*.example.test"])
        GZip()
        Router {
            Get("/text") { _ in String(repeating: "compress me please ", count: 100) }
            Post("/echo") { request in Response(headers: [.contentType: "text/plain"], body: try await request.body.collect()) }
            Group("/secure", middleware: HTTPSRedirect(proxies: TrustedProxies(["127.0.0.1"]))) {
                Get("/") { _ in "over https" }
            }
            Group("/strict", middleware: HTTPSRedirect(permanent: true)) {
                Get("/") { _ in "over https" }
            }
            Group("/upload", middleware: BodyLimit(maxBytes: 1024)) {
                Post("/") { request in "\(try await request.body.collect().count)" }
            }
            Group("/slow", middleware: Timeout(.milliseconds(100))) {
                Get("/") { _ in
                    try await Task.sleep(for: .seconds(5))
                    return "late"
                }
            }
            Group("/admin", middleware: BasicAuth(realm: "admin") { user, password in
                user == "root" && ConstantTime.equals(password, "pw") ? Admin() : nil
            }) {
                Get("/") { _ in "admin area" }
            }
        }
    }
}

/// Runs a command and returns its standard output (bytes), or `nil` when it cannot run.
func run(_ arguments: [String], input: [UInt8] = []) throws -> (status: Int32, output: [UInt8]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    stdin.fileHandleForWriting.write(Data(input))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, Array(output))
}

@Suite(.serialized) struct CatalogSocketTests {
    @Test func gzipRoundTripsWithPythonAndCurl() async throws {
        try await withServer(makeCatalogApp()) { server in
            let port = server.port
            let response = try await onOwnThread {
                let client = try RawClient(port: port)
                try client.send("GET /text HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n")
                return try client.readResponse()
            }
            #expect(response.header("Content-Encoding") == "gzip")
            #expect(response.header("Vary") == "Accept-Encoding")
            let expected = String(repeating: "compress me please ", count: 100)
            let python = try run(["python3", "-c", "import gzip,sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))"], input: response.body)
            #expect(python.status == 0)
            #expect(String(decoding: python.output, as: UTF8.self) == expected)
            // Bodies Python compressed (gzip, and zlib for `deflate`), decompressed by the server.
            for (coding, module) in [("gzip", "gzip"), ("deflate", "zlib")] {
                let compressed = try run(
                    ["python3", "-c", "import \(module),sys; sys.stdout.buffer.write(\(module).compress(sys.stdin.buffer.read()))"],
                    input: Array(expected.utf8)
                ).output
                let echoed = try await onOwnThread {
                    let client = try RawClient(port: port)
                    try client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Encoding: \(coding)\r\nContent-Length: \(compressed.count)\r\n\r\n")
                    try client.send(compressed)
                    return try client.readResponse().text
                }
                #expect(echoed == expected, "\(coding)")
            }
            let curl = try run(["curl", "-s", "--compressed", "http://127.0.0.1:\(port)/text"])
            #expect(curl.status == 0)
            #expect(String(decoding: curl.output, as: UTF8.self) == expected)
        }
    }

    @Test func badHostsAre400AndTheConnectionStaysUsable() async throws {
        try await withServer(makeCatalogApp()) { server in
            let statuses = try await onOwnThread {
                let client = try RawClient(port: server.port)
                var statuses: [Int] = []
                for host in ["evil.test", "localhost:99999", "a.example.test", "[::1"] {
                    try client.send("GET /text HTTP/1.1\r\nHost: \(host)\r\n\r\n")
                    statuses.append(try client.readResponse().status)
                }
                return statuses
            }
            // "[::1" is rejected by the server's own Host check before the pipeline.
            #expect(statuses == [400, 400, 200, 400])
        }
    }

    @Test func httpsRedirectBelievesOnlyTheTrustedProxy() async throws {
        try await withServer(makeCatalogApp()) { server in
            let (plain, forwarded) = try await onOwnThread {
                let client = try RawClient(port: server.port)
                try client.send("GET /secure?x=1 HTTP/1.1\r\nHost: localhost:\(server.port)\r\n\r\n")
                let plain = try client.readResponse()
                try client.send("GET /secure HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Proto: https\r\n\r\n")
                return (plain, try client.readResponse())
            }
            #expect(plain.status == 307)
            #expect(plain.header("Location") == "https://localhost/secure?x=1")
            #expect(plain.header("Strict-Transport-Security") == nil)
            #expect(forwarded.status == 200, "127.0.0.1 is a trusted proxy here")
            #expect(forwarded.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains")
        }
    }

    @Test func badCompressedBodiesSpoofedProtoAndForgedIDsOverSockets() async throws {
        try await withServer(makeCatalogApp()) { server in
            let zeros = try run(
                ["python3", "-c", "import gzip,sys; sys.stdout.buffer.write(gzip.compress(bytes(64 << 20)))"]
            ).output
            let (corrupt, bomb, unsupported, spoofed, forged) = try await onOwnThread {
                let client = try RawClient(port: server.port, timeout: 10)
                let garbage: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xDE, 0xAD, 0xBE, 0xEF]
                try client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Encoding: gzip\r\nContent-Length: \(garbage.count)\r\n\r\n")
                try client.send(garbage)
                let corrupt = try client.readResponse().status
                let second = try RawClient(port: server.port, timeout: 10)
                try second.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Encoding: gzip\r\nContent-Length: \(zeros.count)\r\n\r\n")
                try second.send(zeros)
                let bomb = try second.readResponse().status
                let third = try RawClient(port: server.port)
                try third.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Encoding: br\r\nContent-Length: 2\r\n\r\nxx")
                let unsupported = try third.readResponse().status
                try third.send("GET /strict HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Proto: https\r\nForwarded: proto=https\r\n\r\n")
                let spoofed = try third.readResponse()
                try third.send("GET /text HTTP/1.1\r\nHost: localhost\r\nX-Request-ID: evil\" id=\"forged\r\n\r\n")
                let forged = try third.readResponse()
                return (corrupt, bomb, unsupported, spoofed, forged)
            }
            #expect(corrupt == 400)
            #expect(bomb == 413, "64 MiB of zeros from a 64 KiB body, past the 8 MiB default limit")
            #expect(unsupported == 415)
            #expect(spoofed.status == 308, "forwarding headers from an untrusted client are ignored")
            #expect(spoofed.header("Location") == "https://localhost/strict")
            #expect(forged.header("X-Request-ID")?.count == 32, "an id with quotes and spaces is replaced")
        }
    }

    @Test func bodyLimitRefusesAnAnnouncedLargeBodyWithoutReadingIt() async throws {
        try await withServer(makeCatalogApp(), configure: { $0.timeouts.header = .seconds(60) }) { server in
            let response = try await onOwnThread {
                let client = try RawClient(port: server.port, timeout: 3)
                try client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000\r\nExpect: 100-continue\r\n\r\n")
                return try client.readResponse()
            }
            #expect(response.status == 413, "answered without 100 Continue and without the body")
            #expect(response.header("Connection") == "close")
        }
    }

    @Test func timeoutAuthAndRequestIDOverSockets() async throws {
        catalogLog.withLock { $0 = [] }
        try await withServer(makeCatalogApp()) { server in
            let (slow, denied, allowed) = try await onOwnThread {
                let client = try RawClient(port: server.port)
                try client.send("GET /slow HTTP/1.1\r\nHost: localhost\r\nX-Request-ID: trace-42\r\n\r\n")
                let slow = try client.readResponse()
                try client.send("GET /admin HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic cm9vdDp3cm9uZw==\r\n\r\n")
                let denied = try client.readResponse()
                try client.send("GET /admin HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic cm9vdDpwdw==\r\n\r\n")
                return (slow, denied, try client.readResponse())
            }
            #expect(slow.status == 503)
            #expect(slow.header("X-Request-ID") == "trace-42")
            #expect(slow.header("X-Content-Type-Options") == "nosniff")
            #expect(denied.status == 401)
            #expect(denied.header("WWW-Authenticate") == #"Basic realm="admin", charset="UTF-8""#)
            #expect(allowed.text == "admin area")
            let lines = catalogLog.withLock { $0 }
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix("127.0.0.1 - - [") == true)
            #expect(lines.first?.contains("\"GET /slow HTTP/1.1\" 503 ") == true)
            #expect(lines.first?.hasSuffix(" trace-42\n") == true)
            #expect(!lines.joined().contains("cm9vdD"), "credentials never reach the log")
        }
    }
}

import Testing
import Trellis
import TrellisMiddleware
import TrellisTesting

/// Adds `Server: x` after `next`, as the issue's new user wrote it.
struct ServerHeader: PassThroughMiddleware {
    func handle<Next: Responder>(_ input: Next.Input, next: Next) async throws -> Response
    where Next.Input: RequestInput, Next.Output == Response {
        var response = try await next(input)
        response.headers["Server"] = "x"
        return response
    }
}

struct OutOfStock: HTTPResponseError {
    var status: HTTPStatus { .conflict }
    var detail: String { "sold out" }
    var headers: HTTPHeaders { ["Retry-After": "60"] }
}

struct PaymentError: Error {
    let reason: String
}

struct Order: Decodable {
    let quantity: Int
}

/// Collects reports for assertions.
final class ReportLog: Sendable {
    let reports = Locked<[String]>([])
    var reporter: ErrorReporter { ErrorReporter { report in self.reports.withLock { $0.append(report.description) } } }
    var lines: [String] { reports.withLock { $0 } }
}

struct ErrorModelTests {
    func makeApp(log: ReportLog, format: ErrorFormat = .plainText) -> some Sendable & PipelineTesting {
        Pipeline(errorFormat: format, reporter: log.reporter) {
            ServerHeader()
            Recover { (error: PaymentError, _) in Response.text("declined: \(error.reason)", status: .paymentRequired) }
            Router {
                Get("/ok") { _ in "fine" }
                Get("/missing") { _ -> String in throw HTTPError(.notFound, "No such thing.") }
                Get("/stock") { _ -> String in throw OutOfStock() }
                Get("/pay") { _ -> String in throw PaymentError(reason: "card expired") }
                Get("/boom") { _ -> String in throw SecretError() }
                Get("/only-throws") { _ in throw OutOfStock() }
                Get("/throws-late") { request in
                    if request.query["why"] == nil { throw HTTPError(.badRequest, "say why") }
                    throw OutOfStock()
                }
                Post("/orders", body: Order.self) { _, order in "ordered \(order.quantity)" }
                Group("/me", middleware: Authenticate { token in token == "good" ? User(name: "ada") : nil }) {
                    Get("/") { input in input.user.name }
                }
            }
        }
    }

    @Test func afterNextCodeSeesEveryErrorThatHasAResponse() async throws {
        let log = ReportLog()
        let app = makeApp(log: log)
        let cases: [(HTTPMethod, String, [UInt8], HTTPStatus)] = [
            (.get, "/nowhere", [], .notFound),
            (.post, "/ok", [], .methodNotAllowed),
            (.get, "/missing", [], .notFound),
            (.get, "/stock", [], .conflict),
            (.post, "/orders", Array(#"{"quantity":"many"}"#.utf8), .unprocessableContent),
            (.get, "/me", [], .unauthorized),
            (.get, "/pay", [], .paymentRequired),
        ]
        for (method, path, body, status) in cases {
            let response = try await app.run(method, path, body: body)
            #expect(response.status == status, "\(method) \(path)")
            #expect(response.headers["Server"] == "x", "\(method) \(path): the after-next code ran")
        }
        #expect(log.lines.isEmpty, "errors with a response are not reported: \(log.lines)")
    }

    @Test func anUnexpectedErrorIsThrownThroughNextBecomesA500AndIsReported() async throws {
        let log = ReportLog()
        let app = makeApp(log: log)
        let response = try await app.run(.get, "/boom")
        #expect(response.status == .internalServerError)
        #expect(response.text == "Internal Server Error", "no internal detail reaches the client")
        #expect(response.headers["Server"] == nil, "like call_next, next rethrows an error that has no response")
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.contains("GET /boom") == true)
        #expect(log.lines.first?.contains("hunter2") == true, "the reporter sees the error itself")
    }

    @Test func processTimeAndCORSKeepTheirHeadersOnA500() async throws {
        let app = makeFailingApp()
        let response = try await app.test { try await $0.get("/boom", headers: [.origin: "https://example.com"]) }
        #expect(response.status == .internalServerError)
        #expect(response.headers[.xProcessTime] != nil)
        #expect(response.headers[.accessControlAllowOrigin] == "https://example.com")
    }

    @Test func userErrorsRenderTheirOwnResponse() async throws {
        let app = makeApp(log: ReportLog())
        let response = try await app.run(.get, "/stock")
        #expect(response.status == .conflict)
        #expect(response.text == "sold out")
        #expect(response.headers["Retry-After"] == "60")
    }

    @Test func jsonErrorBodies() async throws {
        let app = makeApp(log: ReportLog(), format: .json)
        let missing = try await app.run(.get, "/missing")
        #expect(missing.headers[.contentType] == "application/json")
        #expect(missing.text == #"{"detail":"No such thing."}"#)
        #expect(try await app.run(.get, "/nowhere").text == #"{"detail":"Not Found"}"#)
        #expect(try await app.run(.get, "/boom").text == #"{"detail":"Internal Server Error"}"#)
        let plain = makeApp(log: ReportLog())
        #expect(try await plain.run(.get, "/missing").text == "No such thing.")
    }

    @Test func recoverHandlesItsErrorTypeOnly() async throws {
        let app = makeApp(log: ReportLog())
        let response = try await app.run(.get, "/pay")
        #expect(response.status == .paymentRequired)
        #expect(response.text == "declined: card expired")
        #expect(try await app.run(.get, "/boom").status == .internalServerError)
    }

    @Test func recoverCanRestyleAnErrorThatAlreadyHasAResponse() async throws {
        let app = Pipeline {
            Recover { (error: HTTPError, _) in Response.text("[\(error.status.code)] \(error.message)", status: error.status) }
            Router { Get("/x") { _ -> String in throw HTTPError(.gone, "moved on") } }
        }
        let response = try await app.test { try await $0.get("/x") }
        #expect(response.status == .gone)
        #expect(response.text == "[410] moved on")
    }

    @Test func handlersThatOnlyThrowCompileAndAnswerWithTheirError() async throws {
        let app = makeApp(log: ReportLog())
        #expect(try await app.run(.get, "/only-throws").status == .conflict)
        #expect(try await app.run(.get, "/throws-late").status == .badRequest)
        #expect(try await app.run(.get, "/throws-late?why=x").status == .conflict)
    }
}

/// Lets tests hold pipelines of different types behind `some`.
protocol PipelineTesting {
    func run(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders, body: [UInt8]) async throws -> TestResponse
}

extension PipelineTesting {
    func run(_ method: HTTPMethod, _ target: String, body: [UInt8] = []) async throws -> TestResponse {
        try await run(method, target, headers: [.authorization: "Bearer bad"], body: body)
    }

    func run(_ method: HTTPMethod, _ target: String, bearer: String) async throws -> TestResponse {
        try await run(method, target, headers: [.authorization: "Bearer \(bearer)"], body: [])
    }
}

extension Pipeline: PipelineTesting {
    func run(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders, body: [UInt8]) async throws -> TestResponse {
        try await test { try await $0.execute(method, target, headers: headers, body: body) }
    }
}

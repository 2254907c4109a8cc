public import Trellis
import Foundation

/// Sends requests through a pipeline in-process, with no sockets, the way a server would: `HEAD`
/// answers lose their body, streamed bodies are collected, then the request's cleanups run and its
/// background tasks start (after the response is returned); `waitForBackgroundTasks()` awaits
/// them, and `app.test { }` does so before it returns. Like a browser, it keeps the cookies
/// responses set and sends them back, and sends its `headers` with every request.
///
/// ```swift
/// try await app.test { client in
///     let response = try await client.get("/items/42?q=x")
///     #expect(response.status == .ok)
///     #expect(response.text == #"{"item_id":42,"q":"x"}"#)
/// }
/// ```
public struct TestClient<App: Responder>: Sendable where App.Input == Request, App.Output == Response {
    /// The app under test.
    public let app: App
    /// Sent with every request (a request's own headers come first and win for the same name).
    public let headers: HTTPHeaders
    /// The cookies responses set so far, sent back with every request.
    public let cookies = CookieJar()
    private let background = BackgroundRunner()
    private let respond: @Sendable (Request) async -> Response
    private let reporter: ErrorReporter

    /// A client for `app` (a `Pipeline`, or a function's `some Responder<Request, Response>`),
    /// sending `headers` with every request. A responder that is not a `Pipeline` is run as one
    /// would run it: errors become their responses, unexpected ones a reported 500.
    ///
    /// ```swift
    /// let client = TestClient(app, headers: [.authorization: "Bearer test-token"])
    /// ```
    public init(_ app: App, headers: HTTPHeaders = [:]) {
        self.app = app
        self.headers = headers
        if let pipeline = app as? any PipelineResponder {
            respond = { request in await pipeline.respond(to: request) }
            reporter = pipeline.reporter
        } else {
            let pipeline = Pipeline(content: app)
            respond = { request in await pipeline.respond(to: request) }
            reporter = pipeline.reporter
        }
    }

    /// Waits until every background task started so far has finished.
    ///
    /// ```swift
    /// _ = try await client.post("/signup", body: Array("ada".utf8))
    /// await client.waitForBackgroundTasks()
    /// #expect(mailer.sent == ["ada"])
    /// ```
    public func waitForBackgroundTasks() async { await background.waitForAll() }

    /// Sends a request built from its parts. A `Host` header is added when missing.
    ///
    /// ```swift
    /// let response = try await client.execute(.patch, "/items/1", headers: [.contentType: "application/json"], body: "{}")
    /// ```
    public func execute(
        _ method: HTTPMethod,
        _ target: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = []
    ) async throws -> TestResponse {
        var headers = headers
        for field in self.headers where !headers.contains(field.name) { headers.append(field.name, field.value) }
        if !headers.contains(.host) { headers.append(.host, "localhost") }
        if !headers.contains(.cookie), let cookie = cookies.headerValue { headers.append(.cookie, cookie) }
        return try await execute(Request(method: method, target: target, headers: headers, body: body))
    }

    /// Sends `request` as is.
    public func execute(_ request: Request) async throws -> TestResponse {
        let response = await respond(request)
        let body: [UInt8]
        do {
            body = request.method == .head ? [] : try await response.body.collect()
        } catch {
            await finish(request, response, complete: false)
            throw error
        }
        await finish(request, response, complete: true)
        cookies.store(from: response.headers)
        return TestResponse(status: response.status, headers: response.headers, body: body)
    }

    /// Ends the request as a server does once the response is written (the same `Request.end`):
    /// cleanups now, then its background tasks started.
    private func finish(_ request: Request, _ response: Response, complete: Bool) async {
        let reporter = self.reporter
        await request.end(
            response: response,
            reporter: reporter,
            written: { complete },
            startBackground: { background.start($0, reporter: reporter) }
        )
    }

    /// Sends a string body as UTF-8.
    public func execute(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = [:], body: String) async throws
        -> TestResponse
    {
        try await execute(method, target, headers: headers, body: Array(body.utf8))
    }

    /// Sends `value` as a JSON body (`Content-Type: application/json`).
    ///
    /// ```swift
    /// let created = try await client.execute(.post, "/items", json: NewItem(name: "lamp", price: 3))
    /// #expect(try created.decode(Item.self).name == "lamp")
    /// ```
    public func execute(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = [:], json value: some Encodable)
        async throws -> TestResponse
    {
        var headers = headers
        if !headers.contains(.contentType) { headers.append(.contentType, "application/json") }
        return try await execute(method, target, headers: headers, body: try JSONWriter.encode(value))
    }

    /// `POST target` with `value` as a JSON body.
    ///
    /// ```swift
    /// let response = try await client.post("/items", json: NewItem(name: "lamp", price: 3))
    /// ```
    public func post(_ target: String, headers: HTTPHeaders = [:], json value: some Encodable) async throws -> TestResponse {
        try await execute(.post, target, headers: headers, json: value)
    }

    /// `PUT target` with `value` as a JSON body.
    public func put(_ target: String, headers: HTTPHeaders = [:], json value: some Encodable) async throws -> TestResponse {
        try await execute(.put, target, headers: headers, json: value)
    }

    /// `PATCH target` with `value` as a JSON body.
    public func patch(_ target: String, headers: HTTPHeaders = [:], json value: some Encodable) async throws -> TestResponse {
        try await execute(.patch, target, headers: headers, json: value)
    }

    /// `GET target`.
    public func get(_ target: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await execute(.get, target, headers: headers)
    }

    /// `HEAD target`.
    public func head(_ target: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await execute(.head, target, headers: headers)
    }

    /// `POST target` with a body.
    public func post(_ target: String, headers: HTTPHeaders = [:], body: [UInt8] = []) async throws -> TestResponse {
        try await execute(.post, target, headers: headers, body: body)
    }

    /// `PUT target` with a body.
    public func put(_ target: String, headers: HTTPHeaders = [:], body: [UInt8] = []) async throws -> TestResponse {
        try await execute(.put, target, headers: headers, body: body)
    }

    /// `DELETE target`.
    public func delete(_ target: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await execute(.delete, target, headers: headers)
    }

    /// `OPTIONS target`.
    public func options(_ target: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await execute(.options, target, headers: headers)
    }
}

/// A response as a test sees it: status, headers and the whole body.
///
/// ```swift
/// #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
/// #expect(response.text == "Hello, World!")
/// ```
public struct TestResponse: Sendable {
    /// The status.
    public let status: HTTPStatus
    /// The headers, in order.
    public let headers: HTTPHeaders
    /// The body bytes.
    public let body: [UInt8]

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Decodes the body as JSON.
    ///
    /// ```swift
    /// let item = try await client.get("/items/42").decode(Item.self)
    /// ```
    public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: Data(body))
    }
}

/// The cookies a `TestClient` was sent with `Set-Cookie`, kept by name and sent back in `Cookie`
/// (a cookie set with `Max-Age=0` or `Max-Age` below zero is removed), as a browser would for one
/// site; attributes other than `Max-Age` are not checked.
///
/// ```swift
/// _ = try await client.post("/login", json: credentials)
/// #expect(client.cookies["session"] != nil)
/// ```
public final class CookieJar: Sendable {
    private let pairs = Locked<[(name: String, value: String)]>([])

    init() {}

    /// The value of the cookie `name`, if one was set.
    public subscript(name: String) -> String? { pairs.withLock { $0.first { $0.name == name }?.value } }

    /// Forgets every cookie.
    public func removeAll() { pairs.withLock { $0.removeAll() } }

    /// The `Cookie` header value to send, or `nil` when the jar is empty.
    var headerValue: String? {
        pairs.withLock { $0.isEmpty ? nil : $0.map { "\($0.name)=\($0.value)" }.joined(separator: "; ") }
    }

    /// Takes in the `Set-Cookie` fields of a response.
    func store(from headers: HTTPHeaders) {
        for field in headers.values(for: .setCookie) {
            let attributes = field.split(separator: ";").map { $0.trimmingHTTPWhitespace() }
            guard let pair = attributes.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            let expired = attributes.dropFirst().contains { attribute in
                HTTPSyntax.lowercased(attribute).hasPrefix("max-age=") && (Int(attribute.dropFirst(8)) ?? 1) <= 0
            }
            pairs.withLock { pairs in
                pairs.removeAll { $0.name == name }
                if !expired { pairs.append((name, value)) }
            }
        }
    }
}

extension Responder where Input == Request, Output == Response {
    /// Runs `body` with an in-process client for this app (a `Pipeline`, or what a function
    /// returning `some Responder<Request, Response>` made), sending `headers` with every request.
    /// An `AccessLog` writing to standard error stays quiet unless `logging` is `true`.
    ///
    /// ```swift
    /// try await app.test { client in #expect(try await client.get("/").status == .ok) }
    /// try await makeApp().test(headers: [.authorization: "Bearer t"], logging: true) { client in … }
    /// ```
    public func test<Result>(
        headers: HTTPHeaders = [:],
        logging: Bool = false,
        _ body: (TestClient<Self>) async throws -> Result
    ) async rethrows -> Result {
        let client = TestClient(self, headers: headers)
        return try await TestRun.$isQuiet.withValue(!logging) {
            do {
                let result = try await body(client)
                await client.waitForBackgroundTasks()
                return result
            } catch {
                await client.waitForBackgroundTasks()
                throw error
            }
        }
    }
}

/// The background tasks a `TestClient` started, so a test can wait for them.
final class BackgroundRunner: Sendable {
    private let running = Locked<[Task<Void, Never>]>([])

    func start(_ work: BackgroundWork, reporter: ErrorReporter) {
        let task = Task { await work.run(reporter: reporter) }
        running.withLock { $0.append(task) }
    }

    func waitForAll() async {
        while true {
            let tasks: [Task<Void, Never>] = running.withLock { tasks in
                defer { tasks = [] }
                return tasks
            }
            if tasks.isEmpty { return }
            for task in tasks { await task.value }
        }
    }
}

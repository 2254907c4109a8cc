public import Trellis

/// Sends requests through a pipeline in-process, with no sockets, the way a server would: `HEAD`
/// answers lose their body, streamed bodies are collected, then the request's cleanups run and its
/// background tasks start (after the response is returned); `waitForBackgroundTasks()` awaits
/// them, and `app.test { }` does so before it returns.
///
/// ```swift
/// try await app.test { client in
///     let response = try await client.get("/items/42?q=x")
///     #expect(response.status == .ok)
///     #expect(response.text == #"{"item_id":42,"q":"x"}"#)
/// }
/// ```
public struct TestClient<Content: Responder>: Sendable where Content.Input == Request, Content.Output == Response {
    /// The pipeline under test.
    public let pipeline: Pipeline<Content>
    private let background = BackgroundRunner()

    /// A client for `pipeline`.
    public init(pipeline: Pipeline<Content>) { self.pipeline = pipeline }

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
        if !headers.contains(.host) { headers.append(.host, "localhost") }
        return try await execute(Request(method: method, target: target, headers: headers, body: body))
    }

    /// Sends `request` as is.
    public func execute(_ request: Request) async throws -> TestResponse {
        let response = await pipeline.respond(to: request)
        let body: [UInt8]
        do {
            body = request.method == .head ? [] : try await response.body.collect()
        } catch {
            await finish(request, response, complete: false)
            throw error
        }
        await finish(request, response, complete: true)
        return TestResponse(status: response.status, headers: response.headers, body: body)
    }

    /// Ends the request as a server does once the response is written (the same `Request.end`):
    /// cleanups now, then its background tasks started.
    private func finish(_ request: Request, _ response: Response, complete: Bool) async {
        let reporter = pipeline.reporter
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
}

extension Pipeline {
    /// Runs `body` with an in-process client for this pipeline.
    ///
    /// ```swift
    /// try await app.test { client in #expect(try await client.get("/").status == .ok) }
    /// ```
    public func test<Result>(_ body: (TestClient<Content>) async throws -> Result) async rethrows -> Result {
        let client = TestClient(pipeline: self)
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

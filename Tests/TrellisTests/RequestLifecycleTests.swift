import Testing
import Trellis
import TrellisMiddleware
import TrellisTesting

/// Records what happened, in order.
final class Recorder: Sendable {
    private let events = Locked<[String]>([])
    func record(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
}

struct Session: Sendable {
    let id: Int
}

struct Tenant: Sendable {
    let name: String
}

/// Records its after-`next` code.
struct Mark: PassThroughMiddleware {
    let name: String
    let recorder: Recorder
    func handle<Next: Responder>(_ input: Next.Input, next: Next) async throws -> Response
    where Next.Input: RequestInput, Next.Output == Response {
        let response = try await next(input)
        recorder.record("\(name) after \(response.status.code)")
        return response
    }
}

typealias Scoped = With<Tenant, With<Session, Authenticated<User>>>

struct RequestLifecycleTests {
    func makeApp(_ recorder: Recorder, reporter: ErrorReporter = .discarding) -> some PipelineTesting {
        Pipeline(reporter: reporter) {
            Mark(name: "outer", recorder: recorder)
            Authenticate { token in token == "good" ? User(name: "ada") : nil }
            Provide { _ in
                recorder.record("acquire session")
                return Session(id: 7)
            } release: { session, outcome in
                let error = outcome.error.map { "\($0)" } ?? "none"
                recorder.record("release session \(session.id): \(outcome.status.code) error \(error) complete \(outcome.isComplete)")
            }
            Provide { _ in
                recorder.record("acquire tenant")
                return Tenant(name: "acme")
            } release: { _, _ in
                recorder.record("release tenant")
                throw SecretError()
            }
            Mark(name: "inner", recorder: recorder)
            Router.taking(Scoped.self) {
                Get("/ok") { input in
                    recorder.record("handler \(input.user.name) \(input[Session.self].id) \(input[Tenant.self].name) \(input.value.name)")
                    input.request.background.add { recorder.record("background 1") }
                    input.request.background.add {
                        recorder.record("background 2")
                        throw SecretError()
                    }
                    input.request.addCleanup { _ in recorder.record("handler cleanup") }
                    return "ok"
                }
                Get("/fail") { _ -> String in throw HTTPError(.conflict, "taken") }
                Get("/crash") { _ -> String in throw SecretError() }
            }
        }
    }

    @Test func cleanupsRunAfterEveryMiddlewareInReverseThenBackgroundTasksInOrder() async throws {
        let recorder = Recorder()
        let log = ReportLog()
        let app = makeApp(recorder, reporter: log.reporter)
        let response = try await app.run(.get, "/ok", bearer: "good")
        #expect(response.text == "ok")
        #expect(
            recorder.all == [
                "acquire session", "acquire tenant", "handler ada 7 acme acme", "inner after 200", "outer after 200",
                "handler cleanup", "release tenant", "release session 7: 200 error none complete true",
                "background 1", "background 2",
            ]
        )
        #expect(log.lines.count == 2, "the throwing release and the throwing task are reported: \(log.lines)")
        #expect(log.lines.contains { $0.hasPrefix("cleanup failed for GET /ok") })
        #expect(log.lines.contains { $0.hasPrefix("background task failed for GET /ok") })
    }

    @Test func cleanupsSeeTheErrorAndRunWhenAHandlerThrows() async throws {
        let recorder = Recorder()
        let app = makeApp(recorder)
        #expect(try await app.run(.get, "/fail", bearer: "good").status == .conflict)
        #expect(recorder.all.last == "release session 7: 409 error 409 Conflict: taken complete true")
        let crash = Recorder()
        #expect(try await makeApp(crash).run(.get, "/crash", bearer: "good").status == .internalServerError)
        #expect(crash.all.last == "release session 7: 500 error database password is hunter2 complete true")
        #expect(crash.all.filter { $0.hasPrefix("release") }.count == 2, "each cleanup exactly once")
    }

    @Test func nothingIsAcquiredOrReleasedWhenAMiddlewareAnswersFirst() async throws {
        let recorder = Recorder()
        #expect(try await makeApp(recorder).run(.get, "/ok", bearer: "bad").status == .unauthorized)
        #expect(recorder.all == ["outer after 401"])
    }

    @Test func cleanupsRunWhenAMiddlewareBelowTheProviderAnswersWithoutNext() async throws {
        let recorder = Recorder()
        let app = Pipeline {
            Provide { _ in Session(id: 1) } release: { _, outcome in recorder.record("released \(outcome.status.code)") }
            Intercept { _, _ in Response(status: .tooManyRequests) }
            Router.taking(With<Session, Request>.self) { Get("/") { _ in "never" } }
        }
        #expect(try await app.test { try await $0.get("/") }.status == .tooManyRequests)
        #expect(recorder.all == ["released 429"])
    }

    @Test func backgroundTasksRunAfterTheResponseIsReturnedAndTheTestCanAwaitThem() async throws {
        let recorder = Recorder()
        let gate = Locked(false)
        let app = Pipeline {
            Router {
                Post("/signup") { request in
                    request.background.add {
                        while !gate.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                        recorder.record("welcome mail")
                    }
                    return HTTPStatus.created
                }
            }
        }
        try await app.test { client in
            let response = try await client.post("/signup")
            #expect(response.status == .created)
            #expect(recorder.all.isEmpty, "the response came back before the task finished")
            gate.withLock { $0 = true }
            await client.waitForBackgroundTasks()
            #expect(recorder.all == ["welcome mail"])
        }
    }

    @Test func routeAndClientAddressAreAvailable() async throws {
        let seen = Recorder()
        let app = Pipeline {
            Intercept { request, next in
                let response = try await next(request)
                seen.record("route \(request.route ?? "none")")
                return response
            }
            Router {
                Get("/items/{item_id}") { request in "\(request.route ?? "-") \(request.clientAddress?.description ?? "in-process")" }
            }
        }
        #expect(try await app.test { try await $0.get("/items/3") }.text == "/items/{item_id} in-process")
        _ = try await app.test { try await $0.get("/nowhere") }
        #expect(seen.all == ["route /items/{item_id}", "route none"])
    }
}


struct GroupProvideTests {
    @Test func aGroupCanProvideAValueToItsRoutes() async throws {
        let released = Locked<[String]>([])
        let app = Pipeline {
            Router {
                Get("/") { _ in "root" }
                Group("/tenant", middleware: Provide { request in Tenant(name: request.headers["X-Tenant"] ?? "none") } release: { tenant, _ in
                    released.withLock { $0.append(tenant.name) }
                }) {
                    Get("/") { input in "tenant \(input.value.name)" }
                }
            }
        }
        #expect(try await app.test { try await $0.get("/tenant", headers: ["X-Tenant": "acme"]) }.text == "tenant acme")
        #expect(try await app.test { try await $0.get("/") }.text == "root")
        #expect(released.withLock { $0 } == ["acme"])
        #expect(app.description.contains("/tenant  via Provide<Tenant>"))
    }
}

/// Work registered through a request after it ended runs at once, and a failure is reported to
/// the reporter of the context it came through (the server's, on a socket), not swallowed.
struct LateRegistrationTests {
    @Test func aLateBackgroundTaskOrCleanupThatThrowsIsReported() async throws {
        let reports = Locked<[ErrorReport.Stage]>([])
        let reporter = ErrorReporter { report in reports.withLock { $0.append(report.stage) } }
        let context = RequestContext(client: nil, reporter: reporter)
        let request = Request(method: .get, targetText: "/late", targetRange: 0..<5, version: .http1_1, headers: [:], body: .empty, context: context)
        await request.end(response: Response.text("ok"), reporter: reporter, written: { true }, startBackground: { _ in })
        request.background.add { throw SecretError() }
        request.addCleanup { _ in throw SecretError() }
        for _ in 0..<200 where reports.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(reports.withLock { Set($0) } == [.backgroundTask, .cleanup])
    }
}

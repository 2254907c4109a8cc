import Testing
import Trellis
import TrellisMiddleware
import TrellisTesting

struct AuthenticateTests {
    let app = Pipeline {
        ProcessTime()
        Authenticate { token in token == "s3cret" ? User(name: "ada") : nil }
        ProcessTime(header: "X-Inner-Time")
        Router.taking(Authenticated<User>.self) {
            Get("/me") { input in "\(input.user.name) \(input.method) \(input.query["v"] ?? "-")" }
        }
    }

    @Test func validTokenReachesTheRouteWithTheUser() async throws {
        let response = try await app.test { try await $0.get("/me?v=1", headers: [.authorization: "Bearer s3cret"]) }
        #expect(response.status == .ok)
        #expect(response.text == "ada GET 1")
        #expect(response.headers["X-Inner-Time"] != nil, "a pass-through middleware works after the type change")
    }

    @Test func schemeIsCaseInsensitive() async throws {
        let response = try await app.test { try await $0.get("/me", headers: [.authorization: "bearer s3cret"]) }
        #expect(response.status == .ok)
    }

    @Test func missingTokenIs401WithChallenge() async throws {
        let response = try await app.test { try await $0.get("/me") }
        #expect(response.status == .unauthorized)
        #expect(response.headers[.wwwAuthenticate] == "Bearer")
        #expect(response.headers[.xProcessTime] != nil)
    }

    @Test func invalidTokenIs401WithInvalidTokenError() async throws {
        let response = try await app.test { try await $0.get("/me", headers: [.authorization: "Bearer nope"]) }
        #expect(response.status == .unauthorized)
        #expect(response.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#)
    }

    @Test func malformedAuthorizationIs401() async throws {
        for value in ["Basic abc", "Bearer", "Bearer a b", "s3cret"] {
            let response = try await app.test { try await $0.get("/me", headers: [.authorization: value]) }
            #expect(response.status == .unauthorized, "\(value)")
        }
        var two: HTTPHeaders = [.authorization: "Bearer s3cret"]
        two.append(.authorization, "Bearer s3cret")
        #expect(try await app.test { try await $0.get("/me", headers: two) }.status == .unauthorized)
    }

    @Test func typeChangeIsVisibleInThePipelineType() {
        let name = "\(type(of: app))"
        #expect(name.contains("BearerAuth<User>"))
        #expect(name.contains("Bound<ProcessTime, With<Identity<User>, Request>>"))
        #expect(name.hasSuffix("Router<With<Identity<User>, Request>>>>"))
    }
}

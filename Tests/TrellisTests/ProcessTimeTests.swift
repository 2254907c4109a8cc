import Testing
import Trellis
import TrellisTesting

struct ProcessTimeTests {
    func seconds(_ response: TestResponse) -> Double? { response.headers[.xProcessTime].flatMap(Double.init) }

    @Test func setsADecimalSecondsHeader() async throws {
        let response = try await makeSeedApp().test { try await $0.get("/") }
        let value = try #require(response.headers[.xProcessTime])
        #expect(value.wholeMatch(of: /[0-9]+\.[0-9]{9}/) != nil, "got \(value)")
        #expect((seconds(response) ?? -1) >= 0)
    }

    @Test func measuresTimeSpentBelowIt() async throws {
        let app = Pipeline {
            ProcessTime()
            Router { Get("/slow") { _ in try await Task.sleep(for: .milliseconds(30)); return "done" } }
        }
        let response = try await app.test { try await $0.get("/slow") }
        let elapsed = try #require(seconds(response))
        // A lower bound only: the handler sleeps at least 30 ms; no upper bound on a shared or sanitised machine.
        #expect(elapsed >= 0.03)
    }

    @Test func presentOnErrorResponses() async throws {
        let app = makeSeedApp()
        for target in ["/missing", "/boom", "/items/x"] {
            let response = try await app.test { try await $0.get(target) }
            #expect(response.headers[.xProcessTime] != nil, "\(target)")
        }
        #expect(try await app.test { try await $0.post("/") }.headers[.xProcessTime] != nil)
    }

    @Test func customHeaderName() async throws {
        let app = Pipeline { ProcessTime(header: "X-Elapsed"); Router { Get("/") { _ in "hi" } } }
        let response = try await app.test { try await $0.get("/") }
        #expect(response.headers["x-elapsed"] != nil)
        #expect(response.headers[.xProcessTime] == nil)
    }
}

/// The one duration formatter behind `X-Process-Time`, the access log and `Timeout`.
struct DurationTextTests {
    @Test func writesFixedFractionDigitsInEachUnit() {
        #expect(DurationText.string(.nanoseconds(12_345), unit: .seconds, fractionDigits: 9) == "0.000012345")
        #expect(DurationText.string(.seconds(12) + .nanoseconds(5), unit: .seconds, fractionDigits: 9) == "12.000000005")
        #expect(DurationText.string(.microseconds(153), unit: .seconds, fractionDigits: 6) == "0.000153")
        #expect(DurationText.string(.microseconds(1_500), unit: .milliseconds, fractionDigits: 3) == "1.500")
        #expect(DurationText.string(.milliseconds(800), unit: .milliseconds, fractionDigits: 0) == "800")
        #expect(DurationText.string(.seconds(-3), unit: .seconds, fractionDigits: 3) == "0.000")
    }
}

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
        #expect(DurationText.string(.nanoseconds(1_234_567_891), unit: .seconds, fractionDigits: 5) == "1.23456")
        #expect(DurationText.string(.seconds(98_765), unit: .seconds, fractionDigits: 1) == "98765.0")
    }

    /// The nanosecond form `ProcessTime` uses gives the same text as the `Duration` form.
    @Test func writesNanosecondsAsTheDurationFormDoes() {
        for nanoseconds: UInt64 in [0, 7, 12_345, 153_000, 1_500_000, 1_234_567_891, 12_000_000_005, 98_765_432_101_234] {
            for (unit, digits) in [(DurationText.Unit.seconds, 9), (.seconds, 6), (.seconds, 5), (.seconds, 0), (.milliseconds, 3), (.milliseconds, 0), (.milliseconds, 9)] {
                #expect(
                    DurationText.string(nanoseconds: nanoseconds, unit: unit, fractionDigits: digits)
                        == DurationText.string(.nanoseconds(Int64(nanoseconds)), unit: unit, fractionDigits: digits),
                    "\(nanoseconds) ns in \(unit) with \(digits) digits"
                )
            }
        }
        #expect(DurationText.string(nanoseconds: 12_345, unit: .seconds, fractionDigits: 9) == "0.000012345")
        #expect(DurationText.string(nanoseconds: 1_500_001, unit: .milliseconds, fractionDigits: 9) == "1.500001000")
    }
}

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

    /// `X-Process-Time`'s short form (under ten seconds, made from two words) is the same text as
    /// the digit-by-digit form, at the edges of each digit and across the whole range.
    @Test func theShortSecondsFormIsTheDigitByDigitForm() {
        var values: [UInt64] = [0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, 9_999_999_999, 10_000_000_000, 10_000_000_001]
        var power: UInt64 = 1
        for _ in 0..<10 {
            values += [power - 1, power, power + 1, power * 5 - 1]
            power *= 10
        }
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<20_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append((seed >> 20) % 12_000_000_000)
        }
        for nanoseconds in values {
            let digitByDigit = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
                let start = DurationText.write(nanoseconds: nanoseconds, unit: .seconds, fractionDigits: 9, into: buffer)
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
            }
            let made = DurationText.string(nanoseconds: nanoseconds, unit: .seconds, fractionDigits: 9)
            if made != digitByDigit || made.utf8.count != digitByDigit.utf8.count || !made.utf8.elementsEqual(digitByDigit.utf8) {
                Issue.record("\(nanoseconds) ns: \(made) against \(digitByDigit)")
            }
        }
        #expect(DurationText.string(nanoseconds: 12_345, unit: .seconds, fractionDigits: 9) == "0.000012345")
        #expect(DurationText.string(nanoseconds: 9_876_543_210, unit: .seconds, fractionDigits: 9) == "9.876543210")
    }

    /// Eight digits a word at a time, against the standard library's text, leading zeros kept.
    @Test func eightDigitsAtOnceAreTheDecimalText() {
        var values: [UInt32] = [0, 1, 9, 10, 99, 100, 9_999, 10_000, 10_001, 99_999_999, 12_345_678, 87_654_321]
        var seed: UInt32 = 2_463_534_242
        for _ in 0..<50_000 {
            seed ^= seed << 13
            seed ^= seed >> 17
            seed ^= seed << 5
            values.append(seed % 100_000_000)
        }
        for value in values {
            let word = DecimalDigits.eightDigits(value)
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: word >> UInt64(8 * $0)) }
            let expected = String(repeating: "0", count: 8 - String(value).count) + String(value)
            if bytes != Array(expected.utf8) { Issue.record("\(value): \(bytes)") }
        }
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

public import Trellis
public import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line per request: time, client, method, target, status, bytes, duration and request id,
/// to standard error or a sink of yours, in the common log format or as JSON.
///
/// ```text
/// 127.0.0.1 - - [02/Dec/2026:04:55:00 +0000] "GET /items/42?q=x HTTP/1.1" 200 22 0.000153 4f1c…
/// {"time":"2026-12-02T04:55:00.123Z","client":"127.0.0.1","method":"GET","target":"/items/42?q=x","route":"/items/{item_id}","status":200,"bytes":22,"duration_ms":0.153,"request_id":"4f1c…"}
/// ```
///
/// No header is ever written, so `Authorization`, `Cookie` and `Set-Cookie` values never reach a
/// log; bytes a client controls (the target) are escaped (`\xHH` in the common format, JSON
/// escapes in JSON), so a request cannot forge a line. A streamed body (a file, a compressed
/// stream) is logged when it has been written, with the bytes it wrote and the time until then
/// (a `HEAD` answer at once, with its declared length or `-`; a stream the server never starts
/// because the client has already gone is not logged). An unexpected error is logged as `500` and
/// rethrown. A line is built in one buffer (no allocation
/// per field); a pipeline without `AccessLog` pays nothing.
///
/// ```swift
/// Pipeline {
///     RequestID()
///     AccessLog(format: .json)
///     Router { Get("/") { _ in "hi" } }
/// }
/// ```
public struct AccessLog: PassThroughMiddleware {
    /// How a line is spelled.
    public enum Format: Sendable, Equatable {
        /// The common log format plus duration (seconds) and request id.
        case common
        /// One JSON object per line.
        case json
    }

    /// Where lines go.
    public struct Sink: Sendable {
        @usableFromInline let write: @Sendable ([UInt8]) -> Void

        /// Lines (each ending in a newline) handed to `write`.
        ///
        /// ```swift
        /// AccessLog.Sink { line in logFile.append(line) }
        /// ```
        public init(_ write: @escaping @Sendable (_ line: [UInt8]) -> Void) { self.write = write }

        /// Standard error, one `write(2)` per line (quiet inside `app.test { }` unless the test
        /// passes `logging: true`).
        public static let standardError = Sink { line in
            guard !TestRun.isQuiet else { return }
            line.withUnsafeBytes { StandardError.write($0) }
        }

        /// Nowhere (for benchmarks).
        public static let discarding = Sink { _ in }
    }

    /// The line format.
    public let format: Format
    /// Where lines go.
    public let sink: Sink

    /// Logs every request below it.
    ///
    /// ```swift
    /// AccessLog()                                   // common format, standard error
    /// AccessLog(format: .json, sink: AccessLog.Sink { line in collector.add(line) })
    /// ```
    public init(format: Format = .common, sink: Sink = .standardError) {
        self.format = format
        self.sink = sink
    }

    /// Times `next` and writes the line.
    @inlinable @inline(__always) public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(input)
        } catch {
            log(input.request, status: 500, bytes: nil, duration: ContinuousClock.now - start)
            throw error
        }
        guard let produce = response.body.stream, input.request.method != .head else {
            log(input.request, status: response.status.code, bytes: response.body.knownLength, duration: ContinuousClock.now - start)
            return response
        }
        // Log once the stream has been written: its real byte count and duration.
        var logged = response
        let request = input.request
        let status = response.status.code
        let written = Atomic<Int>(0)
        let body: @Sendable (ResponseBodyWriter) async throws -> Void = { [self] writer in
            do {
                try await produce(ResponseBodyWriter { chunk in
                    try await writer.write(chunk)
                    written.wrappingAdd(chunk.count, ordering: .relaxed)
                })
            } catch {
                log(request, status: status, bytes: written.load(ordering: .relaxed), duration: ContinuousClock.now - start)
                throw error
            }
            log(request, status: status, bytes: written.load(ordering: .relaxed), duration: ContinuousClock.now - start)
        }
        logged.body.storage = .stream(body)
        return logged
    }

    @usableFromInline func log(_ request: Request, status: Int, bytes: Int?, duration: Duration) {
        var line = LogLine()
        let now = Self.wallClock()
        switch format {
        case .common:
            line.text(request.clientAddress?.host ?? "-")
            line.text(" - - [")
            line.commonTime(now.seconds)
            line.text("] \"")
            line.escapedCommon(request.method.rawValue)
            line.byte(UInt8(ascii: " "))
            line.escapedCommon(request.target)
            line.text(request.version == .http1_0 ? " HTTP/1.0\" " : " HTTP/1.1\" ")
            line.integer(status)
            line.byte(UInt8(ascii: " "))
            if let bytes { line.integer(bytes) } else { line.byte(UInt8(ascii: "-")) }
            line.byte(UInt8(ascii: " "))
            line.seconds(duration)
            line.byte(UInt8(ascii: " "))
            line.escapedCommon(request.id ?? "-")
        case .json:
            line.text("{\"time\":\"")
            line.isoTime(now.seconds, milliseconds: now.nanoseconds / 1_000_000)
            line.text("\",\"client\":")
            line.jsonString(request.clientAddress?.host)
            line.text(",\"method\":")
            line.jsonString(request.method.rawValue)
            line.text(",\"target\":")
            line.jsonString(request.target)
            line.text(",\"route\":")
            line.jsonString(request.route)
            line.text(",\"status\":")
            line.integer(status)
            line.text(",\"bytes\":")
            if let bytes { line.integer(bytes) } else { line.text("null") }
            line.text(",\"duration_ms\":")
            line.milliseconds(duration)
            line.text(",\"request_id\":")
            line.jsonString(request.id)
            line.byte(UInt8(ascii: "}"))
        }
        line.byte(UInt8(ascii: "\n"))
        sink.write(line.bytes)
        // The next line on this thread is written into this one's storage: no allocation.
        ThreadSpares.keep(&line.bytes, for: .line)
    }

    @usableFromInline static func wallClock() -> (seconds: Int64, nanoseconds: Int64) {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return (Int64(time.tv_sec), Int64(time.tv_nsec))
    }

    /// Lists `AccessLog(format)`.
    public func describe(into description: inout PipelineDescription) {
        description.addStep(format == .json ? "AccessLog(json)" : "AccessLog(common)")
    }
}

/// One log line, written into a single buffer.
@usableFromInline struct LogLine {
    @usableFromInline var bytes: [UInt8]

    @usableFromInline init() {
        bytes = ThreadSpares.takeBytes(for: .line)
        bytes.reserveCapacity(256)
    }

    @usableFromInline mutating func byte(_ byte: UInt8) { bytes.append(byte) }

    @usableFromInline mutating func text(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @usableFromInline mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    @usableFromInline mutating func integer(_ value: Int) {
        DecimalDigits.with(Int64(value)) { bytes.append(contentsOf: $0) }
    }

    /// The last `width` decimal digits of `value` (not negative), zeros in front.
    mutating func padded(_ value: Int64, width: Int) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        // From the last digit back: each a division by the constant 10, which costs a multiply.
        var rest = value
        var index = bytes.count - 1
        while index >= start, rest > 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
    }

    /// `02/Dec/2026:04:55:00 +0000`: written into a buffer on the stack, then appended at once
    /// (a byte appended at a time, and the padded numbers, cost about 1,500 instructions a line).
    @usableFromInline mutating func commonTime(_ seconds: Int64) {
        let time = CivilTime(secondsSince1970: seconds)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 26) { stamp in
            Self.twoDigits(time.day, into: stamp, at: 0)
            stamp[2] = UInt8(ascii: "/")
            let month = Self.monthLetters[min(max(time.month - 1, 0), 11)]
            stamp[3] = month.0
            stamp[4] = month.1
            stamp[5] = month.2
            stamp[6] = UInt8(ascii: "/")
            let year = min(max(time.year, 0), 9999)
            Self.twoDigits(year / 100, into: stamp, at: 7)
            Self.twoDigits(year % 100, into: stamp, at: 9)
            stamp[11] = UInt8(ascii: ":")
            Self.twoDigits(time.hour, into: stamp, at: 12)
            stamp[14] = UInt8(ascii: ":")
            Self.twoDigits(time.minute, into: stamp, at: 15)
            stamp[17] = UInt8(ascii: ":")
            Self.twoDigits(time.second, into: stamp, at: 18)
            stamp[20] = UInt8(ascii: " ")
            stamp[21] = UInt8(ascii: "+")
            stamp[22] = UInt8(ascii: "0")
            stamp[23] = UInt8(ascii: "0")
            stamp[24] = UInt8(ascii: "0")
            stamp[25] = UInt8(ascii: "0")
            bytes.append(contentsOf: UnsafeBufferPointer(stamp))
        }
    }

    /// The months' three letters, as the common log format spells them.
    static let monthLetters: [(UInt8, UInt8, UInt8)] = CivilTime.months.map { name in
        let letters = Array(name.utf8)
        return (letters[0], letters[1], letters[2])
    }

    /// The two digits of a time field (0…99: `CivilTime`'s day, hour, minute and second, and the
    /// clamped year's halves) at `offset` of `buffer`.
    @inline(__always) static func twoDigits(_ value: Int64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        DecimalDigits.writePair(UInt8(truncatingIfNeeded: value), at: offset, in: buffer)
    }

    /// `04:55:00`.
    mutating func timeOfDay(_ time: CivilTime) {
        padded(time.hour, width: 2)
        byte(UInt8(ascii: ":"))
        padded(time.minute, width: 2)
        byte(UInt8(ascii: ":"))
        padded(time.second, width: 2)
    }

    /// `2026-12-02T04:55:00.123Z`.
    @usableFromInline mutating func isoTime(_ seconds: Int64, milliseconds: Int64) {
        let time = CivilTime(secondsSince1970: seconds)
        padded(time.year, width: 4)
        byte(UInt8(ascii: "-"))
        padded(Int64(time.month), width: 2)
        byte(UInt8(ascii: "-"))
        padded(time.day, width: 2)
        byte(UInt8(ascii: "T"))
        timeOfDay(time)
        byte(UInt8(ascii: "."))
        padded(milliseconds, width: 3)
        byte(UInt8(ascii: "Z"))
    }

    /// Seconds with microsecond digits: `0.000153`.
    @usableFromInline mutating func seconds(_ duration: Duration) {
        DurationText.append(duration, unit: .seconds, fractionDigits: 6, to: &bytes)
    }

    /// Milliseconds with microsecond digits: `0.153`.
    @usableFromInline mutating func milliseconds(_ duration: Duration) {
        DurationText.append(duration, unit: .milliseconds, fractionDigits: 3, to: &bytes)
    }

    /// A client-controlled string in the common format: `"`, `\`, control and non-ASCII bytes as `\xHH`.
    @usableFromInline mutating func escapedCommon(_ value: String) {
        // Runs of bytes that need no escape are copied whole, from where the text lies; a text
        // with none (the usual one) is found so a word at a time and copied in one append.
        value.withContiguousUTF8 { utf8 in
            if !Self.hasEscapedByte(utf8) {
                bytes.append(contentsOf: utf8)
                return
            }
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard Self.isEscaped(byte) else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                hexEscape(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    /// Whether the common format escapes `byte`.
    @inline(__always) static func isEscaped(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether some byte of `utf8` is escaped: eight bytes a step (control bytes, DEL, non-ASCII,
    /// `"` and `\` flagged together), the rest one by one.
    static func hasEscapedByte(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while utf8.count &- offset >= 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let flagged =
                HTTPSyntax.controlOrDeleteBytes(in: word) | (word & 0x8080_8080_8080_8080)
                | HTTPSyntax.bytes(equalTo: UInt8(ascii: "\""), in: word) | HTTPSyntax.bytes(equalTo: UInt8(ascii: "\\"), in: word)
            if flagged != 0 { return true }
            offset &+= 8
        }
        while offset < utf8.count {
            if isEscaped(utf8[offset]) { return true }
            offset &+= 1
        }
        return false
    }

    mutating func hexEscape(_ value: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "x"))
        bytes.append(HexDigit.lowercase(value >> 4))
        bytes.append(HexDigit.lowercase(value))
    }

    /// A JSON string (or `null`), escaping quotes, backslashes, control bytes and DEL.
    @usableFromInline mutating func jsonString(_ value: String?) {
        guard let value else {
            text("null")
            return
        }
        JSONWriter.appendQuoted(value, to: &bytes, escapingDelete: true)
    }
}

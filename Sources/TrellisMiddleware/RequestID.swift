public import Trellis
import Synchronization
/// Gives every request an identifier: a valid incoming `X-Request-ID` is kept (so one id follows a
/// request through a chain of services), anything else is replaced by a fresh random one. The id is
/// echoed on the response, readable downstream as `request.id`, and appears in `AccessLog` lines
/// and `ErrorReporter` reports.
///
/// Valid means 1 to `maxLength` (default 128) characters from `A-Z a-z 0-9 - _ . : + = /`; a
/// longer or otherwise odd value (quotes, spaces, control bytes that could forge log lines) is
/// not trusted.
///
/// ```swift
/// Pipeline {
///     RequestID()
///     AccessLog()
///     Router { Get("/") { request in "you are request \(request.id ?? "-")" } }
/// }
/// ```
public struct RequestID: PassThroughMiddleware {
    /// The header read and written.
    public let header: HTTPHeaders.Name
    /// The longest incoming id kept.
    public let maxLength: Int
    /// Whether an incoming id is kept at all (`false`: always make a new one).
    public let trustIncoming: Bool

    /// Request ids in `header` (`X-Request-ID` by default).
    ///
    /// ```swift
    /// RequestID(header: "X-Correlation-ID", maxLength: 64)
    /// ```
    public init(header: HTTPHeaders.Name = .xRequestID, maxLength: Int = 128, trustIncoming: Bool = true) {
        self.header = header
        self.maxLength = maxLength
        self.trustIncoming = trustIncoming
    }

    /// Accepts or makes the id, records it, passes the request on (with the header set to the id),
    /// and puts the id on the response.
    @inlinable @inline(__always) public func handle<Next: NextResponder>(_ input: Next.Input, next: Next) async throws -> Response {
        var input = input
        let incoming = trustIncoming && input.request.headers.count(of: header) == 1 ? input.request.headers[header] : nil
        let id: String
        if let incoming, Self.isValid(incoming, maxLength: maxLength) {
            id = incoming
        } else {
            id = Self.generate()
            input.request.headers.remove(header)
            input.request.headers.append(header, id)
        }
        input.request.context.setRequestID(id, generation: input.request.generation)
        var response: Response
        do {
            response = try await next(input)
        } catch {
            // Every response carries the id, a 500 included (the error is still reported).
            response = Response(error: error)
        }
        response.headers[header] = id
        return response
    }

    /// Whether `id` is short enough and made of safe characters.
    ///
    /// ```swift
    /// RequestID.isValid("abc-123", maxLength: 128) // true
    /// ```
    public static func isValid(_ id: String, maxLength: Int) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= maxLength else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "+"),
                UInt8(ascii: "="), UInt8(ascii: "/"):
                return true
            default:
                return false
            }
        }
    }

    /// A new id, 32 lowercase hex digits: a random 64-bit prefix drawn once per process, then a
    /// 64-bit counter that starts at a random value. Unique among the process's requests and, with
    /// overwhelming likelihood, across processes, and made without a system call (drawing 128 fresh
    /// random bits cost two `getrandom` calls per request). An id is a correlation key, not a
    /// secret: whoever sees one can guess its neighbours.
    ///
    /// ```swift
    /// RequestID.generate().count // 32
    /// ```
    public static func generate() -> String {
        let high = RequestIDSequence.prefix
        let low = RequestIDSequence.counter.wrappingAdd(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 32) { buffer in
            // Eight digits a store.
            let raw = UnsafeMutableRawBufferPointer(buffer)
            @inline(__always) func store(_ value: UInt64, at offset: Int) {
                let digits = HexDigit.lowercaseDigits(of: UInt32(truncatingIfNeeded: value))
                raw.storeBytes(of: digits.littleEndian, toByteOffset: offset, as: UInt64.self)
            }
            store(high >> 32, at: 0)
            store(high, at: 8)
            store(low >> 32, at: 16)
            store(low, at: 24)
            return 32
        }
    }

    /// Lists `RequestID(header)` and declares the header it sets.
    public func describe(into description: inout PipelineDescription) {
        description.addStep("RequestID(\(header.rawName))")
        description.declareSets(header)
    }
}

/// Where `RequestID.generate()` draws from: a per-process random prefix and a counter.
enum RequestIDSequence {
    static let prefix = UInt64.random(in: .min ... .max)
    static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))
}

import Trellis

/// (b) ProcessTime and CORS written by hand as one function around the same router: what a careful
/// programmer would write without any middleware abstraction.
struct Handwritten: Sendable {
    let router: Router<Request>
    let origins: [String]
    let allowMethods = "GET, POST, PUT, DELETE, OPTIONS"
    let allowHeaders = "Content-Type, Authorization, X-Requested-With, Accept, Accept-Language, Content-Language"
    let allowedHeaderNames: Set<String> = [
        "content-type", "authorization", "x-requested-with", "accept", "accept-language", "content-language",
    ]

    func respond(to request: Request) async -> Response {
        let start = ContinuousClock.now
        var response: Response
        var origin: String?
        for field in request.headers where field.name == .origin {
            if origin != nil {
                origin = nil
                break
            }
            origin = field.value
        }
        if let origin, request.method == .options, let method = request.headers[.accessControlRequestMethod] {
            var failures: [String] = []
            if !origins.contains(origin) { failures.append("origin") }
            if !["GET", "POST", "PUT", "DELETE", "OPTIONS"].contains(method) { failures.append("method") }
            let requested = request.headers[.accessControlRequestHeaders] ?? ""
            for name in requested.split(separator: ",") {
                let trimmed = name.trimmingCharacters(in: " \t").lowercased()
                if !trimmed.isEmpty && !allowedHeaderNames.contains(trimmed) {
                    failures.append("headers")
                    break
                }
            }
            if failures.isEmpty {
                response = Response.text("OK")
                response.headers[.accessControlAllowOrigin] = origin
                response.headers[.accessControlAllowMethods] = allowMethods
                response.headers[.accessControlAllowHeaders] = allowHeaders
                response.headers[.accessControlMaxAge] = "600"
                response.headers[.accessControlAllowCredentials] = "true"
            } else {
                response = Response.text("Disallowed CORS " + failures.joined(separator: ", "), status: .badRequest)
            }
        } else {
            do {
                response = try await router.respond(to: request)
            } catch {
                response = Response(error: error)
            }
            if let origin, origins.contains(origin) {
                response.headers[.accessControlAllowOrigin] = origin
                response.headers[.accessControlAllowCredentials] = "true"
                response.headers[.accessControlExposeHeaders] = "X-Process-Time"
            }
        }
        if !response.headers.listContains(.vary, token: "origin") { response.headers.append(.vary, "Origin") }
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        let nanos = String(attoseconds / 1_000_000_000)
        response.headers[.xProcessTime] = "\(seconds)." + String(repeating: "0", count: max(0, 9 - nanos.count)) + nanos
        return response
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, set.contains(self[start]) { start = index(after: start) }
        while end > start, set.contains(self[index(before: end)]) { end = index(before: end) }
        return self[start..<end]
    }
}

extension Fixtures {
    static func handwritten() -> Handwritten { Handwritten(router: router(), origins: origins) }
}

public import HTTPTypes
public import OpenAPIRuntime
public import Trellis
import Synchronization
import TrellisHTTPTypes

/// A swift-openapi-generator `ServerTransport` on Trellis: register the generated server's
/// handlers on it, then put its `router()` at the end of a pipeline, so the generated API runs on
/// the Trellis server behind Trellis middleware (CORS, auth, gzip, observers…).
///
/// Path templates (`/items/{itemId}`) are the router's own syntax; path parameters reach the
/// generated code as `ServerRequestMetadata.pathParameters`; request and response bodies are
/// passed whole (the request's up to the server's body limit, or `bodyLimit` if smaller).
///
/// ```swift
/// let transport = OpenAPITransport()
/// try ShopAPI().registerHandlers(on: transport)       // generated `registerHandlers`
/// let app = Pipeline {
///     ProcessTime()
///     CORS(expose: ["X-Process-Time"])
///     transport.router()
/// }
/// ```
public final class OpenAPITransport: ServerTransport, Sendable {
    /// A generated operation's handler.
    public typealias Handler = @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)

    private struct Operation: Sendable {
        let method: HTTPMethod
        let path: String
        let parameterNames: [String]
        let handler: Handler
    }

    private let operations = Mutex<[Operation]>([])
    private let bodyLimit: Int

    /// A transport that reads request bodies up to `bodyLimit` bytes (default 8 MiB; a larger
    /// body gets 413).
    public init(bodyLimit: Int = 8 << 20) { self.bodyLimit = bodyLimit }

    /// Records one generated operation (called by the generated `registerHandlers(on:)`).
    public func register(_ handler: @escaping Handler, method: HTTPRequest.Method, path: String) throws {
        let names = path.split(separator: "/").compactMap { segment -> String? in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
        let operation = Operation(method: HTTPMethod(method.rawValue), path: path, parameterNames: names, handler: handler)
        operations.withLock { $0.append(operation) }
    }

    /// A router of every operation registered so far: the last line of a pipeline.
    public func router() -> Router<Request> {
        let registered = operations.withLock { $0 }
        let limit = bodyLimit
        return Router {
            for operation in registered {
                On(operation.method, operation.path) { request in try await Self.call(operation, with: request, limit: limit) }
            }
        }
    }

    private static func call(_ operation: Operation, with request: Request, limit: Int) async throws -> Response {
        let bytes = try await request.body.collect(upTo: limit)
        let hasBody = !bytes.isEmpty || request.headers.contains(.contentLength) || request.headers.contains(.transferEncoding)
        var metadata = ServerRequestMetadata()
        for name in operation.parameterNames {
            if let value = request.parameters[name] { metadata.pathParameters[name] = value[...] }
        }
        let (head, body) = try await operation.handler(HTTPRequest(request), hasBody ? HTTPBody(bytes) : nil, metadata)
        guard let body else { return Response(head) }
        return Response(head, body: try await [UInt8](collecting: body, upTo: .max))
    }
}

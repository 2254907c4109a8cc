/// Hears about every request a server serves, when it starts and when it has ended: the hook
/// logging, metrics and tracing adapters use. A server with no observer does no work for it.
///
/// ```swift
/// struct CountRequests: RequestObserver {
///     func requestFinished(_ record: RequestRecord) {
///         print(record.method, record.route ?? "unmatched", record.status.code, record.duration)
///     }
/// }
/// var configuration = ServerConfiguration(port: 8080)
/// configuration.observer = CountRequests()
/// ```
public protocol RequestObserver: Sendable {
    /// A request's head has been read and the pipeline is about to run.
    func requestStarted(_ request: Request)
    /// The request's response has been written (or the client went away) and its cleanups ran.
    func requestFinished(_ record: RequestRecord)
}

extension RequestObserver {
    /// Nothing, by default.
    public func requestStarted(_ request: Request) {}
}

/// What a `RequestObserver` hears when a request has ended.
///
/// ```swift
/// func requestFinished(_ record: RequestRecord) {
///     log("\(record.method) \(record.route ?? record.path) → \(record.status.code) in \(record.duration)")
/// }
/// ```
public struct RequestRecord: Sendable {
    /// The request method.
    public let method: HTTPMethod
    /// The request path (without the query).
    public let path: String
    /// The pattern of the route that answered (`/items/{item_id}`), `nil` when none matched.
    public let route: String?
    /// The response status.
    public let status: HTTPStatus
    /// From the pipeline starting to the response having been written.
    public let duration: Duration
    /// Bytes read from the connection since the previous request on it ended: this request's head
    /// and body (plus any pipelined bytes read ahead).
    public let bytesIn: Int
    /// Bytes written to the connection for the response (head and body).
    public let bytesOut: Int
    /// The request's id (`RequestID`), if any.
    public let requestID: String?
    /// The peer's address.
    public let clientAddress: ClientAddress?
    /// Whether the whole response reached the client.
    public let isComplete: Bool

    /// A record.
    public init(
        method: HTTPMethod, path: String, route: String?, status: HTTPStatus, duration: Duration,
        bytesIn: Int, bytesOut: Int, requestID: String?, clientAddress: ClientAddress?, isComplete: Bool
    ) {
        self.method = method
        self.path = path
        self.route = route
        self.status = status
        self.duration = duration
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.requestID = requestID
        self.clientAddress = clientAddress
        self.isComplete = isComplete
    }
}

/// Several observers as one, each hearing every request in order.
///
/// ```swift
/// configuration.observer = RequestObservers([AccessLogging(logger), RequestMetrics()])
/// ```
public struct RequestObservers: RequestObserver {
    let observers: [any RequestObserver]

    /// `observers`, in order.
    public init(_ observers: [any RequestObserver]) { self.observers = observers }

    /// Tells each observer.
    public func requestStarted(_ request: Request) { for observer in observers { observer.requestStarted(request) } }

    /// Tells each observer.
    public func requestFinished(_ record: RequestRecord) { for observer in observers { observer.requestFinished(record) } }
}

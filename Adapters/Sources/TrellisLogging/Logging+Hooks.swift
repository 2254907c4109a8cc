public import Logging
public import Trellis
public import TrellisServer

extension ErrorReporter {
    /// Reports unexpected errors, failed cleanups and failed background tasks to `logger` at
    /// `error` level, with the request's method, path and id as metadata.
    ///
    /// ```swift
    /// let app = Pipeline(reporter: .logging(to: Logger(label: "shop"))) { … }
    /// ```
    public static func logging(to logger: Logger) -> ErrorReporter {
        ErrorReporter { report in
            var metadata: Logger.Metadata = ["stage": .string("\(report.stage)")]
            if let method = report.method { metadata["http.method"] = .string(method.rawValue) }
            if let path = report.path { metadata["url.path"] = .string(path) }
            if let id = report.requestID { metadata["request_id"] = .string(id) }
            logger.error("\(report.error)", metadata: metadata)
        }
    }
}

extension ServerEvents {
    /// The server's events on `logger`: start and stop at `info`, accept failures and the
    /// connection limit at `warning`.
    ///
    /// ```swift
    /// configuration.events = .logging(to: Logger(label: "server"))
    /// ```
    public static func logging(to logger: Logger) -> ServerEvents {
        ServerEvents { event in
            switch event {
            case .acceptFailed, .connectionLimitReached: logger.warning("\(event)")
            case .started, .stopping, .stopped: logger.info("\(event)")
            }
        }
    }
}

/// The access log through swift-log: one `info` line per request once it has ended, with method,
/// route, status, duration, bytes, request id and client address as metadata.
///
/// ```swift
/// configuration.observer = AccessLogging(Logger(label: "access"))
/// ```
public struct AccessLogging: RequestObserver {
    let logger: Logger

    /// Logs to `logger`.
    public init(_ logger: Logger) { self.logger = logger }

    /// Logs `GET /items/7 200` with the record's details as metadata.
    public func requestFinished(_ record: RequestRecord) {
        var metadata: Logger.Metadata = [
            "http.method": .string(record.method.rawValue),
            "url.path": .string(record.path),
            "http.response.status_code": .stringConvertible(record.status.code),
            "duration_ms": .stringConvertible(Double(record.duration.components.attoseconds) / 1e15 + Double(record.duration.components.seconds) * 1000),
            "bytes_in": .stringConvertible(record.bytesIn),
            "bytes_out": .stringConvertible(record.bytesOut),
        ]
        if let route = record.route { metadata["http.route"] = .string(route) }
        if let id = record.requestID { metadata["request_id"] = .string(id) }
        if let client = record.clientAddress { metadata["client.address"] = .string(client.host) }
        logger.info("\(record.method.rawValue) \(record.path) \(record.status.code)", metadata: metadata)
    }
}

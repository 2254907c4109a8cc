/// What a pipeline is made of, in order: its middleware, its routes, and the response headers its
/// middleware declare they set or expose. `Pipeline.description` prints it and
/// `Pipeline.diagnostics` reports what does not add up.
///
/// ```swift
/// print(app.description)
/// // Pipeline:
/// //   ProcessTime(X-Process-Time)
/// //   CORS(origins: https://example.com http://localhost:3000, methods: GET POST PUT DELETE OPTIONS, headers: Content-Type Authorization X-Requested-With Accept Accept-Language Content-Language, credentials, expose: X-Process-Time, max-age: 600 s)
/// //   Router<Request> (3 routes)
/// // Routes:
/// //   GET     /
/// //   GET     /items/{item_id}
/// //   POST    /echo
/// for warning in app.diagnostics { print("warning:", warning) }
/// ```
public struct PipelineDescription: Sendable, CustomStringConvertible {
    /// Middleware and responders, outermost first.
    public private(set) var steps: [String] = []
    /// Route table lines, e.g. `"GET /items/{item_id}"`.
    public private(set) var routes: [String] = []
    /// Response headers some step declares it sets (as declared).
    public private(set) var headersSet: [HTTPHeaders.Name] = []
    /// Response headers some step exposes to browsers, with the step that exposes them.
    public private(set) var headersExposed: [(name: HTTPHeaders.Name, by: String)] = []
    /// Problems a step reported about itself (e.g. a route defined twice).
    public private(set) var warnings: [String] = []

    /// An empty description.
    public init() {}

    /// Adds a middleware or responder name.
    ///
    /// ```swift
    /// description.addStep("RateLimit(100/s)")
    /// ```
    public mutating func addStep(_ name: String) { steps.append(name) }

    /// Records a warning about the composition.
    public mutating func addWarning(_ text: String) { warnings.append(text) }

    /// Adds a route table line.
    package mutating func addRoute(_ line: String) { routes.append(line) }

    /// Declares that a step sets `name` on responses (so `CORS` may expose it).
    ///
    /// ```swift
    /// description.declareSets(.xProcessTime)
    /// ```
    public mutating func declareSets(_ name: HTTPHeaders.Name) { headersSet.append(name) }

    /// Declares that `step` exposes `name` to browsers.
    package mutating func declareExposes(_ name: HTTPHeaders.Name, by step: String) { headersExposed.append((name, step)) }

    /// Problems found in the composition, as warning sentences: an exposed header no step declares it sets.
    public var diagnostics: [String] {
        warnings + headersExposed.compactMap { exposed in
            headersSet.contains(exposed.name)
                ? nil
                : "\(exposed.by) exposes '\(exposed.name.rawName)' but no middleware in the pipeline declares that it sets it."
        }
    }

    /// `Pipeline:` and the steps one per line (outermost first), then `Routes:` and the route
    /// table, then one `warning:` line per diagnostic.
    public var description: String {
        var lines: [String] = []
        lines.append("Pipeline:")
        lines += steps.map { "  " + $0 }
        if !routes.isEmpty {
            lines.append("Routes:")
            lines += routes.map { "  " + $0 }
        }
        lines += diagnostics.map { "warning: " + $0 }
        return lines.joined(separator: "\n")
    }
}

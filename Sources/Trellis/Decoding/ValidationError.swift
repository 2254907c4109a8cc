/// A request whose content did not fit the type it was decoded into: `422 Unprocessable Content`
/// with a JSON body shaped like FastAPI's, naming where (`body`, `query`, `path`), which field
/// (the coding path) and what went wrong:
///
/// ```json
/// {"detail":[{"loc":["body","price"],"msg":"Input should be a valid number","type":"double_type"}]}
/// ```
///
/// `request.decode(_:)`, `request.query.decode(_:)` and routes with a typed body throw it; throw
/// one yourself for a rule of your own.
///
/// ```swift
/// guard item.price > 0 else {
///     throw ValidationError(.body, path: ["price"], message: "Input should be greater than 0", type: "greater_than")
/// }
/// ```
public struct ValidationError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// Where the invalid input was.
    public enum Source: String, Sendable {
        /// The request body.
        case body
        /// The query string.
        case query
        /// A path parameter.
        case path
        /// A header.
        case header
    }

    /// One step of a field's location: a key or an array index.
    public enum PathComponent: Sendable, Equatable, CustomStringConvertible {
        /// An object key.
        case key(String)
        /// An array index.
        case index(Int)

        /// The key, or the index as digits.
        public var description: String {
            switch self {
            case .key(let key): key
            case .index(let index): String(index)
            }
        }
    }

    /// One problem.
    public struct Issue: Sendable, Equatable {
        /// Where: the source, then the field's path.
        public let source: Source
        /// The field's coding path (empty for the whole source).
        public let path: [PathComponent]
        /// What went wrong, for a person.
        public let message: String
        /// A short machine-readable kind: `missing`, `int_type`, `value_error`, ….
        public let type: String
    }

    /// The problems, in the order found.
    public let issues: [Issue]

    /// One problem.
    ///
    /// ```swift
    /// ValidationError(.query, path: ["limit"], message: "Input should be at most 100", type: "less_than_equal")
    /// ```
    public init(_ source: Source, path: [PathComponent], message: String, type: String) {
        issues = [Issue(source: source, path: path, message: message, type: type)]
    }

    /// Several problems.
    public init(issues: [Issue]) { self.issues = issues }

    /// `422 Unprocessable Content`.
    public var status: HTTPStatus { .unprocessableContent }

    /// The first problem, as text.
    public var detail: String { description }

    /// `body.price: Input should be a valid number`.
    public var description: String {
        issues.map { issue in
            ([issue.source.rawValue] + issue.path.map(\.description)).joined(separator: ".") + ": " + issue.message
        }.joined(separator: "; ")
    }

    /// Always JSON, whatever the pipeline's error format: clients parse the locations.
    public func response(format: ErrorFormat) -> Response {
        let body = Body(detail: issues.map { issue in
            Body.Entry(loc: [.key(issue.source.rawValue)] + issue.path, msg: issue.message, type: issue.type)
        })
        let bytes = (try? JSONWriter.encode(body)) ?? Array(#"{"detail":[]}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .bytes(bytes))
    }

    private struct Body: Encodable {
        struct Entry: Encodable {
            let loc: [PathComponent]
            let msg: String
            let type: String
        }
        let detail: [Entry]
    }
}

extension ValidationError.PathComponent: Encodable {
    /// A key as a string, an index as a number (as FastAPI writes `loc`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .key(let key): try container.encode(key)
        case .index(let index): try container.encode(index)
        }
    }
}

extension ValidationError {
    /// The validation error for a `DecodingError` met while decoding input from `source`.
    ///
    /// ```swift
    /// catch let error as DecodingError { throw ValidationError(error, source: .body) }
    /// ```
    public init(_ error: DecodingError, source: Source) {
        func path(_ codingPath: [any CodingKey]) -> [PathComponent] {
            codingPath.map { key in key.intValue.map { .index($0) } ?? .key(key.stringValue) }
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(source, path: path(context.codingPath + [key]), message: "Field required", type: "missing")
        case .valueNotFound(let type, let context):
            self.init(
                source, path: path(context.codingPath),
                message: "Input should be \(Self.describe(type)), not null", type: "missing"
            )
        case .typeMismatch(let type, let context):
            if let unparsable = context.underlyingError as? UnparsableText {
                // Text from a path, a query or a form.
                self = .unparsable(unparsable.text, as: type, source: source, path: path(context.codingPath))
                return
            }
            self.init(
                source, path: path(context.codingPath),
                message: "Input should be \(Self.describe(type))", type: Self.kind(type) + "_type"
            )
        case .dataCorrupted(let context):
            let type = context.underlyingError is NonFiniteNumber ? "finite_number" : "value_error"
            self.init(source, path: path(context.codingPath), message: context.debugDescription, type: type)
        @unknown default:
            self.init(source, path: [], message: "Invalid input", type: "value_error")
        }
    }

    /// One error listing every issue in `errors` (in field order), or `first` alone when the
    /// search for more found none.
    init(every errors: [DecodingError], first: DecodingError, source: Source) {
        let issues = errors.flatMap { ValidationError($0, source: source).issues }
        self.init(issues: issues.isEmpty ? ValidationError(first, source: source).issues : issues)
    }

    /// The issue of parameter `name` whose `text` does not convert to `type`:
    /// `Input should be a valid integer, got 'abc'` (`int_parsing`); for a type of the user's own,
    /// `Input should be a Sort, got 'size'` (`value_error`). An optional type is described by
    /// what it wraps.
    @usableFromInline static func unparsable(_ text: String, as type: Any.Type, source: Source, name: String) -> ValidationError {
        unparsable(text, as: type, source: source, path: [.key(name)])
    }

    static func unparsable(_ text: String, as type: Any.Type, source: Source, path: [PathComponent]) -> ValidationError {
        let type = (type as? any OptionalSchemaWalkable.Type)?.wrappedDecodable ?? type
        let kind = kind(type)
        let expected = kind == "model" ? "\(article(for: type)) \(type)" : describe(type)
        return ValidationError(
            source,
            path: path,
            message: "Input should be \(expected), got '\(text)'",
            type: kind == "model" ? "value_error" : kind + "_parsing"
        )
    }

    /// `an` before a vowel, else `a`.
    private static func article(for type: Any.Type) -> String {
        let first = "\(type)".first.map(String.init)?.lowercased() ?? ""
        return ["a", "e", "i", "o", "u"].contains(first) ? "an" : "a"
    }

    static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type, is Character.Type: "string"
        case is Bool.Type: "bool"
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
            is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type: "int"
        case is Double.Type, is Float.Type: "float"
        default:
            "\(type)".hasPrefix("Array<") ? "list" : ("\(type)".hasPrefix("Dictionary<") ? "dict" : "model")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch kind(type) {
        case "string": "a valid string"
        case "bool": "a valid boolean"
        case "int": "a valid integer"
        case "float": "a valid number"
        case "list": "a valid list"
        case "dict": "a valid dictionary"
        default: "a valid object"
        }
    }
}

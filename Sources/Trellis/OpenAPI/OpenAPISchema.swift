/// A JSON Schema (OpenAPI 3.1's dialect) for one type: what `OpenAPISchemaProviding` types return,
/// and what Trellis records for every `Decodable` type a route declares.
///
/// ```swift
/// struct Celsius: Decodable, OpenAPISchemaProviding {
///     let value: Double
///     init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Double.self) }
///     static var openAPISchema: OpenAPISchema {
///         .number(minimum: -273.15).describing("A temperature in degrees Celsius.").example(21.5)
///     }
/// }
/// ```
public struct OpenAPISchema: Sendable, Equatable {
    /// The schema as JSON.
    public var value: OpenAPIValue

    /// A schema from its JSON.
    ///
    /// ```swift
    /// OpenAPISchema(["type": "string", "pattern": "^[A-Z]{3}$"])
    /// ```
    public init(_ value: OpenAPIValue) { self.value = value }

    /// `{"type": "string"}`, with an optional `format` (`date-time`, `uuid`, `uri`, `email`, …),
    /// length bounds and pattern.
    ///
    /// ```swift
    /// OpenAPISchema.string(format: "email")
    /// ```
    public static func string(format: String? = nil, minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil) -> OpenAPISchema {
        var schema: OpenAPIValue = ["type": "string"]
        if let format { schema.set("format", .string(format)) }
        if let minLength { schema.set("minLength", .int(minLength)) }
        if let maxLength { schema.set("maxLength", .int(maxLength)) }
        if let pattern { schema.set("pattern", .string(pattern)) }
        return OpenAPISchema(schema)
    }

    /// `{"type": "integer"}` with optional bounds and format (`int32`, `int64`).
    ///
    /// ```swift
    /// OpenAPISchema.integer(minimum: 1, maximum: 100)
    /// ```
    public static func integer(format: String? = nil, minimum: Int? = nil, maximum: Int? = nil) -> OpenAPISchema {
        var schema: OpenAPIValue = ["type": "integer"]
        if let format { schema.set("format", .string(format)) }
        if let minimum { schema.set("minimum", .int(minimum)) }
        if let maximum { schema.set("maximum", .int(maximum)) }
        return OpenAPISchema(schema)
    }

    /// `{"type": "number"}` with optional bounds.
    ///
    /// ```swift
    /// OpenAPISchema.number(minimum: 0)
    /// ```
    public static func number(format: String? = nil, minimum: Double? = nil, maximum: Double? = nil) -> OpenAPISchema {
        var schema: OpenAPIValue = ["type": "number"]
        if let format { schema.set("format", .string(format)) }
        if let minimum { schema.set("minimum", .double(minimum)) }
        if let maximum { schema.set("maximum", .double(maximum)) }
        return OpenAPISchema(schema)
    }

    /// `{"type": "boolean"}`.
    ///
    /// ```swift
    /// OpenAPISchema.boolean
    /// ```
    public static var boolean: OpenAPISchema { OpenAPISchema(["type": "boolean"]) }

    /// `{"type": "array", "items": …}`.
    ///
    /// ```swift
    /// OpenAPISchema.array(of: .string())
    /// ```
    public static func array(of items: OpenAPISchema) -> OpenAPISchema {
        OpenAPISchema(["type": "array", "items": items.value])
    }

    /// An object with the given properties (in order) and required keys.
    ///
    /// ```swift
    /// OpenAPISchema.object(properties: [("id", .integer()), ("name", .string())], required: ["id"])
    /// ```
    public static func object(properties: [(String, OpenAPISchema)], required: [String] = []) -> OpenAPISchema {
        var schema: OpenAPIValue = ["type": "object", "properties": .object(properties.map { .init($0.0, $0.1.value) })]
        if !required.isEmpty { schema.set("required", .array(required.map { .string($0) })) }
        return OpenAPISchema(schema)
    }

    /// The same schema with a `description`.
    ///
    /// ```swift
    /// OpenAPISchema.string().describing("The customer's name.")
    /// ```
    public func describing(_ text: String) -> OpenAPISchema {
        var copy = self
        copy.value.set("description", .string(text))
        return copy
    }

    /// The same schema with one example value (`examples` in JSON Schema 2020-12).
    ///
    /// ```swift
    /// OpenAPISchema.integer().example(42)
    /// ```
    public func example(_ example: OpenAPIValue) -> OpenAPISchema {
        var copy = self
        copy.value.set("examples", .array([example]))
        return copy
    }
}

/// A type that describes itself for the OpenAPI document, where Trellis cannot walk it (a custom
/// `init(from:)` that reads a single value, formats, ranges, examples, descriptions).
///
/// ```swift
/// extension Currency: OpenAPISchemaProviding {
///     static var openAPISchema: OpenAPISchema { .string(pattern: "^[A-Z]{3}$").example("EUR") }
/// }
/// ```
public protocol OpenAPISchemaProviding {
    /// The type's schema.
    static var openAPISchema: OpenAPISchema { get }
}

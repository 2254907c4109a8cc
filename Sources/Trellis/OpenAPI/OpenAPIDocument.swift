/// The `info` of an OpenAPI document.
///
/// ```swift
/// OpenAPIInfo(title: "Shop", version: "1.0.0", description: "Orders and items.")
/// ```
public struct OpenAPIInfo: Sendable {
    /// The API's name.
    public var title: String
    /// The API's version (not OpenAPI's).
    public var version: String
    /// A longer description (CommonMark).
    public var description: String?

    /// Info with a title, a version and an optional description.
    ///
    /// ```swift
    /// OpenAPIInfo(title: "Shop", version: "1.0.0")
    /// ```
    public init(title: String, version: String, description: String? = nil) {
        self.title = title
        self.version = version
        self.description = description
    }
}

/// An OpenAPI 3.1 document built from a pipeline's routes and middleware.
///
/// ```swift
/// let document = try app.openAPI(info: OpenAPIInfo(title: "Shop", version: "1.0.0"))
/// try Data(document.json).write(to: URL(fileURLWithPath: "openapi.json"))
/// ```
public struct OpenAPIDocument: Sendable {
    /// The document.
    public let value: OpenAPIValue
    /// The document as JSON (the same bytes every time).
    public var json: [UInt8] { value.jsonBytes() }
}

/// Why a document could not be built: a type it cannot describe, named with the fix.
///
/// ```swift
/// do { _ = try app.openAPI(info: info) } catch { print(error) }
/// ```
public struct OpenAPIError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and how to fix it.
    public let description: String
}

extension Pipeline {
    /// The OpenAPI 3.1 document of this pipeline: every route with its method, path template,
    /// `operationId`, tags (its groups), parameters, request body and responses, the security
    /// schemes and response headers its middleware declare, and the schemas of the types its
    /// routes declare and return.
    ///
    /// ```swift
    /// let document = try app.openAPI(info: OpenAPIInfo(title: "Shop", version: "1.0.0"))
    /// ```
    public func openAPI(info: OpenAPIInfo) throws(OpenAPIError) -> OpenAPIDocument {
        do {
            return OpenAPIDocument(value: try OpenAPIBuilder.document(info: info, from: composition, errorFormat: errorFormat))
        } catch {
            throw OpenAPIError(description: error.description)
        }
    }
}

/// Builds the document from a pipeline's description.
package enum OpenAPIBuilder {
    package static func document(
        info: OpenAPIInfo,
        from description: PipelineDescription,
        errorFormat: ErrorFormat
    ) throws(SchemaProblem) -> OpenAPIValue {
        let registry = SchemaRegistry()
        var paths: OpenAPIValue = [:]
        var operationIDs: Set<String> = []
        var usesValidationErrors = false
        var schemes: [SecurityScheme] = []
        for operation in description.operations {
            var id = operationID(operation.method, operation.path)
            var suffix = 2
            while operationIDs.contains(id) {
                id = operationID(operation.method, operation.path) + "_\(suffix)"
                suffix += 1
            }
            operationIDs.insert(id)
            let (value, validates) = try operationValue(operation, id: id, registry: registry, errorFormat: errorFormat)
            usesValidationErrors = usesValidationErrors || validates
            for scheme in operation.security where !schemes.contains(scheme) { schemes.append(scheme) }
            var item = paths[operation.path] ?? [:]
            item.set(operation.method.rawValue.lowercased(), value)
            paths.set(operation.path, item)
        }
        var infoValue: OpenAPIValue = ["title": .string(info.title), "version": .string(info.version)]
        if let text = info.description { infoValue.set("description", .string(text)) }
        var schemas = registry.components
        if usesValidationErrors { schemas += validationErrorSchemas }
        schemas.sort { $0.key < $1.key }
        var components: OpenAPIValue = [:]
        if !schemas.isEmpty { components.set("schemas", .object(schemas)) }
        if !schemes.isEmpty { components.set("securitySchemes", .object(schemes.map { .init($0.name, $0.definition) })) }
        var document: OpenAPIValue = ["openapi": "3.1.0", "info": infoValue, "paths": paths]
        if case .object(let members) = components, !members.isEmpty { document.set("components", components) }
        return document
    }

    /// `get_items_item_id` for `GET /items/{item_id}`; `get_root` for `GET /`.
    static func operationID(_ method: HTTPMethod, _ path: String) -> String {
        var words: [String] = []
        var word = ""
        for character in path {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return method.rawValue.lowercased() + "_" + (words.isEmpty ? "root" : words.joined(separator: "_"))
    }

    private static func operationValue(
        _ operation: DescribedOperation,
        id: String,
        registry: SchemaRegistry,
        errorFormat: ErrorFormat
    ) throws(SchemaProblem) -> (OpenAPIValue, validates: Bool) {
        let documentation = operation.documentation
        var value: OpenAPIValue = [:]
        if !documentation.tags.isEmpty { value.set("tags", .array(documentation.tags.map { .string($0) })) }
        value.set("operationId", .string(id))

        var parameters: [OpenAPIValue] = []
        let templateNames = RoutePath.parameterNames(operation.path)
        if let inputsType = documentation.inputs {
            let fields = try registry.fields(of: inputsType)
            for field in fields where templateNames.contains(field.name) {
                parameters.append(["name": .string(field.name), "in": "path", "required": true, "schema": notNull(field.schema)])
            }
            for field in fields where !templateNames.contains(field.name) {
                parameters.append(queryParameter(field))
            }
        } else if let pathType = documentation.path {
            for field in try registry.fields(of: pathType) {
                parameters.append(["name": .string(field.name), "in": "path", "required": true, "schema": notNull(field.schema)])
            }
        } else {
            let declaredInPath = documentation.parameters.filter { $0.source == .path }.map(\.name)
            for name in templateNames where !declaredInPath.contains(name) {
                parameters.append(["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]])
            }
        }
        for parameter in documentation.parameters {
            parameters.append([
                "name": .string(parameter.name),
                "in": .string(parameter.source.rawValue),
                "required": .bool(parameter.source == .path || parameter.required),
                "schema": notNull(try registry.schema(for: parameter.type)),
            ])
        }
        if let queryType = documentation.query {
            for field in try registry.fields(of: queryType) {
                parameters.append(queryParameter(field))
            }
        }
        if !parameters.isEmpty { value.set("parameters", .array(parameters)) }

        if let bodyType = documentation.body {
            let schema = try registry.schema(for: bodyType)
            value.set("requestBody", ["required": true, "content": ["application/json": ["schema": schema]]])
        }

        var responses: OpenAPIValue = [:]
        var success: OpenAPIValue = ["description": "Successful Response"]
        var successStatus = "200"
        switch documentation.answer {
        case .text:
            success.set("content", ["text/plain": ["schema": ["type": "string"]]])
        case .json(let type):
            success.set("content", ["application/json": ["schema": try schema(ofAnswer: type, registry: registry)]])
        case .bytes:
            success.set("content", ["application/octet-stream": ["schema": [:]]])
        case .status, .response:
            successStatus = "default"
            success = ["description": "The handler's response (its status and body are decided at run time)"]
        case .error:
            successStatus = "default"
            success = ["description": "The error the handler throws"]
        }
        if !operation.headersSet.isEmpty {
            success.set("headers", .object(operation.headersSet.map { .init($0.rawName, ["schema": ["type": "string"]]) }))
        }
        responses.set(successStatus, success)

        let validates = documentation.decodes || !templateNames.isEmpty
        if documentation.body != nil {
            responses.set("400", errorResponse("The body is not valid JSON", errorFormat))
            responses.set("413", errorResponse("The body is larger than the server accepts", errorFormat))
            responses.set("415", errorResponse("The body's Content-Type is not application/json or a form", errorFormat))
        }
        if !operation.security.isEmpty {
            var unauthorized = errorResponse("Missing or invalid credentials", errorFormat)
            if operation.security.contains(where: \.challenges) {
                unauthorized.set("headers", ["WWW-Authenticate": ["required": true, "schema": ["type": "string"]]])
            }
            responses.set("401", unauthorized)
            value.set("security", .array(operation.security.map { .object([.init($0.name, [])]) }))
        }
        for declared in documentation.responses + operation.responses where responses[String(declared.status.code)] == nil {
            var response = errorResponse(declared.meaning, errorFormat)
            if (300..<400).contains(declared.status.code) { response = ["description": .string(declared.meaning)] }
            if !declared.headers.isEmpty {
                response.set("headers", .object(declared.headers.map { .init($0.rawName, ["required": true, "schema": ["type": "string"]]) }))
            }
            responses.set(String(declared.status.code), response)
        }
        if validates {
            responses.set(
                "422",
                ["description": "Validation Error", "content": ["application/json": ["schema": SchemaRegistry.reference("HTTPValidationError")]]]
            )
        }
        value.set("responses", responses)
        return (value, validates)
    }

    /// The schema of a JSON answer: walked if `Decodable`, its own if `OpenAPISchemaProviding`,
    /// any JSON otherwise.
    private static func schema(ofAnswer type: Any.Type, registry: SchemaRegistry) throws(SchemaProblem) -> OpenAPIValue {
        if let provider = type as? any OpenAPISchemaProviding.Type { return provider.openAPISchema.value }
        if let decodable = type as? any Decodable.Type { return try registry.schema(for: decodable) }
        return ["description": .string("\(type) (Encodable only: conform it to Decodable or OpenAPISchemaProviding to describe it)")]
    }

    /// A query parameter: required unless optional or a list (an absent list is empty).
    private static func queryParameter(_ field: (name: String, schema: OpenAPIValue, required: Bool)) -> OpenAPIValue {
        let schema = notNull(field.schema)
        let required = field.required && schema["type"] != "array"
        return ["name": .string(field.name), "in": "query", "required": .bool(required), "schema": schema]
    }

    /// A parameter's schema without the `null` an optional field allows in JSON.
    private static func notNull(_ schema: OpenAPIValue) -> OpenAPIValue {
        if case .array(let choices)? = schema["anyOf"], choices.count == 2, choices[1] == ["type": "null"] { return choices[0] }
        return schema
    }

    private static func errorResponse(_ text: String, _ format: ErrorFormat) -> OpenAPIValue {
        let content: OpenAPIValue = format == .json
            ? ["application/json": ["schema": ["type": "object", "properties": ["detail": ["type": "string"]], "required": ["detail"]]]]
            : ["text/plain": ["schema": ["type": "string"]]]
        return ["description": .string(text), "content": content]
    }

    /// FastAPI's validation error schemas (what a `422` from `ValidationError` carries).
    static let validationErrorSchemas: [OpenAPIValue.Member] = [
        .init("HTTPValidationError", [
            "type": "object",
            "properties": ["detail": ["type": "array", "items": SchemaRegistry.reference("ValidationError")]],
            "required": ["detail"],
        ]),
        .init("ValidationError", [
            "type": "object",
            "properties": [
                "loc": ["type": "array", "items": ["anyOf": [["type": "string"], ["type": "integer"]]]],
                "msg": ["type": "string"],
                "type": ["type": "string"],
            ],
            "required": ["loc", "msg", "type"],
        ]),
    ]
}

import Testing
import Trellis
import TrellisMiddleware
import TrellisTesting

private struct ItemPath: Decodable, Sendable { let item_id: Int }
private struct ItemQuery: Decodable, Sendable { let q: String?; let limit: Int? }
private struct Item: Codable, Sendable {
    let itemID: Int
    let q: String?
    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case q
    }
}
private enum Size: String, Codable, CaseIterable, Sendable { case small, large }
private enum Level: Int, Codable, CaseIterable, Sendable { case low = 1, high = 2 }
private struct Dimensions: Codable, Sendable { let width: Double; let height: Double }
private struct NewOrder: Codable, Sendable {
    let name: String
    let size: Size
    let level: Level?
    let tags: [String]
    let dimensions: Dimensions
    let extras: [String: Int]
    let gift: Bool?
}
private final class Category: Decodable, Sendable {
    let name: String
    let parent: Category?
    let children: [Category]
}
private struct Celsius: Codable, Sendable, OpenAPISchemaProviding {
    let value: Double
    init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Double.self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
    static var openAPISchema: OpenAPISchema { .number(minimum: -273.15).describing("Degrees Celsius.").example(21.5) }
}
private struct Reading: Codable, Sendable { let at: String; let temperature: Celsius }
/// A type whose init(from:) refuses the walk's placeholder values.
private struct Positive: Decodable, Sendable {
    let value: Int
    init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int.self)
        guard value > 0 else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "must be positive")) }
    }
}
private struct Lookup: Decodable, Sendable { let id: Positive }

private func makeApp() -> some Responder<Request, Response> {
    Pipeline(errorFormat: .json) {
        OpenAPIDocs(info: OpenAPIInfo(title: "Shop", version: "1.2.3", description: "Test shop."))
        ProcessTime()
        RequestID()
        Router {
            Get("/") { _ in "Hello, World!" }
            Get("/items/{item_id}", path: ItemPath.self, query: ItemQuery.self) { _, path, query in
                Item(itemID: path.item_id, q: query.q)
            }
            Post("/orders", body: NewOrder.self) { _, order in order }
            Get("/categories") { _ in [String]() }
            Post("/categories", body: Category.self) { _, category in category.name }
            Post("/readings", body: Reading.self) { _, reading in reading }
            Group("/admin", middleware: BearerAuth { token in token == "secret" ? "admin" : nil }) {
                Delete("/items/{item_id}", path: ItemPath.self) { _, _ in HTTPStatus.noContent }
            }
        }
    }
}

struct OpenAPIDocumentTests {
    @Test func theDocumentDescribesEveryRouteFromItsDeclaredTypes() async throws {
        try await makeApp().test { client in
            let response = try await client.get("/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let document = try response.decode(JSONValueForTests.self)
            #expect(document["openapi"] == .string("3.1.0"))
            #expect(document["info"]?["title"] == .string("Shop"))
            let get = try #require(document["paths"]?["/items/{item_id}"]?["get"])
            #expect(get["operationId"] == .string("get_items_item_id"))
            #expect(
                get["parameters"] == .array([
                    .object(["name": .string("item_id"), "in": .string("path"), "required": .bool(true), "schema": .object(["type": .string("integer"), "format": .string("int64"), "minimum": .number(Double(Int.min)), "maximum": .number(Double(Int.max))])]),
                    .object(["name": .string("q"), "in": .string("query"), "required": .bool(false), "schema": .object(["type": .string("string")])]),
                    .object(["name": .string("limit"), "in": .string("query"), "required": .bool(false), "schema": .object(["type": .string("integer"), "format": .string("int64"), "minimum": .number(Double(Int.min)), "maximum": .number(Double(Int.max))])]),
                ])
            )
            #expect(get["responses"]?["200"]?["content"]?["application/json"]?["schema"] == .object(["$ref": .string("#/components/schemas/Item")]))
            #expect(get["responses"]?["200"]?["headers"]?["X-Process-Time"] != nil)
            #expect(get["responses"]?["200"]?["headers"]?["X-Request-ID"] != nil)
            #expect(get["responses"]?["422"]?["content"]?["application/json"]?["schema"] == .object(["$ref": .string("#/components/schemas/HTTPValidationError")]))
            let root = try #require(document["paths"]?["/"]?["get"])
            #expect(root["responses"]?["200"]?["content"]?["text/plain"] != nil)
            #expect(root["responses"]?["422"] == nil, "a route that reads nothing cannot fail validation")

            let schemas = try #require(document["components"]?["schemas"])
            #expect(schemas["Item"]?["required"] == .array([.string("item_id")]))
            #expect(schemas["Item"]?["properties"]?["q"] == .object(["anyOf": .array([.object(["type": .string("string")]), .object(["type": .string("null")])])]))
            let order = try #require(schemas["NewOrder"])
            #expect(order["required"] == .array(["name", "size", "tags", "dimensions", "extras"].map { .string($0) }))
            #expect(order["properties"]?["size"] == .object(["$ref": .string("#/components/schemas/Size")]))
            #expect(schemas["Size"] == .object(["type": .string("string"), "enum": .array([.string("small"), .string("large")])]))
            #expect(schemas["Level"] == .object(["type": .string("integer"), "enum": .array([.number(1), .number(2)])]))
            #expect(order["properties"]?["tags"] == .object(["type": .string("array"), "items": .object(["type": .string("string")])]))
            #expect(order["properties"]?["extras"] == .object(["type": .string("object"), "additionalProperties": .object(["type": .string("integer"), "format": .string("int64"), "minimum": .number(Double(Int.min)), "maximum": .number(Double(Int.max))])]))
            #expect(order["properties"]?["dimensions"] == .object(["$ref": .string("#/components/schemas/Dimensions")]))
            let category = try #require(schemas["Category"])
            #expect(category["properties"]?["children"]?["items"] == .object(["$ref": .string("#/components/schemas/Category")]))
            #expect(schemas["Reading"]?["properties"]?["temperature"]?["minimum"] == .number(-273.15))

            let post = try #require(document["paths"]?["/orders"]?["post"])
            #expect(post["requestBody"]?["content"]?["application/json"]?["schema"] == .object(["$ref": .string("#/components/schemas/NewOrder")]))
            #expect(post["responses"]?["415"] != nil && post["responses"]?["413"] != nil && post["responses"]?["400"] != nil)

            let delete = try #require(document["paths"]?["/admin/items/{item_id}"]?["delete"])
            #expect(delete["tags"] == .array([.string("admin")]))
            #expect(delete["security"] == .array([.object(["HTTPBearer": .array([])])]))
            #expect(delete["responses"]?["401"]?["headers"]?["WWW-Authenticate"] != nil)
            #expect(document["components"]?["securitySchemes"]?["HTTPBearer"] == .object(["type": .string("http"), "scheme": .string("bearer")]))
        }
    }

    @Test func theDocumentIsTheSameBytesEveryTimeAndTheDocsPagePointsAtIt() async throws {
        try await makeApp().test { client in
            let first = try await client.get("/openapi.json").body
            let second = try await client.get("/openapi.json").body
            #expect(first == second && !first.isEmpty)
            let page = try await client.get("/docs")
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("SwaggerUIBundle") && page.text.contains("url: \"/openapi.json\""))
        }
    }

    @Test func declaredInputsGetFastAPIShaped422sWithTheirLocations() async throws {
        try await makeApp().test { client in
            let ok = try await client.get("/items/42?q=x")
            #expect(ok.status == .ok)
            #expect(ok.text == #"{"item_id":42,"q":"x"}"#)
            let bad = try await client.get("/items/abc?limit=many")
            #expect(bad.status == .unprocessableContent)
            let detail = try bad.decode(JSONValueForTests.self)["detail"]
            guard case .array(let issues)? = detail else { Issue.record("no detail: \(bad.text)"); return }
            #expect(issues.map { $0["loc"] } == [.array([.string("path"), .string("item_id")]), .array([.string("query"), .string("limit")])])
            #expect(issues.map { $0["type"] } == [.string("int_parsing"), .string("int_parsing")])
            #expect(issues.first?["msg"] == .string("Input should be a valid integer, got 'abc'"))
            let missing = try await client.get("/items/7?limit=")
            #expect(missing.status == .unprocessableContent, "an empty integer is not an integer: \(missing.text)")
        }
    }

    @Test func aTemplateThatDoesNotMatchItsPathTypeStopsTheServerNamingTheRoute() {
        let app = Pipeline { Router { Get("/items/{id}", path: ItemPath.self) { _, path in "\(path.item_id)" } } }
        #expect(app.composition.problems == [
            "GET /items/{id}: the path declares {id} but ItemPath has the fields item_id; rename one side so each {name} in the path is a field of ItemPath.",
        ])
        #expect(app.description.contains("error: GET /items/{id}"))
    }

    @Test func aTypeTheWalkCannotDescribeGetsAMessageNamingItAndTheProtocol() throws {
        let app = Pipeline { Router { Post("/lookup", body: Lookup.self) { _, lookup in "\(lookup.id.value)" } } }
        #expect(throws: OpenAPIError.self) { _ = try app.openAPI(info: OpenAPIInfo(title: "t", version: "1")) }
        do {
            _ = try app.openAPI(info: OpenAPIInfo(title: "t", version: "1"))
        } catch {
            #expect(error.description.contains("Trellis cannot describe Positive"))
            #expect(error.description.contains("must be positive"))
            #expect(error.description.contains("OpenAPISchemaProviding"))
        }
        let served = Pipeline { OpenAPIDocs(info: OpenAPIInfo(title: "t", version: "1")); Router { Post("/lookup", body: Lookup.self) { _, lookup in "\(lookup.id.value)" } } }
        #expect(served.composition.problems.count == 1)
        #expect(served.composition.problems.first?.hasPrefix("OpenAPIDocs: Trellis cannot describe Positive") == true)
    }
}

/// A JSON value decoded for assertions (numbers as Double).
enum JSONValueForTests: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValueForTests]), object([String: JSONValueForTests])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValueForTests].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValueForTests].self)) }
    }

    subscript(key: String) -> JSONValueForTests? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }
}

private struct UserItems: Decodable, Sendable {
    let user_id: Int
    let limit: Int?
    let tag: [String]
    let q: String?
}

struct DeclaredInputsTests {
    static let int64: OpenAPIValue = ["type": "integer", "format": "int64", "minimum": .int(Int.min), "maximum": .int(Int.max)]

    /// schemathesis found it: an id above Int64.max was schema-valid but a 422.
    @Test func integersAreDescribedWithTheRangeTheirTypeAccepts() throws {
        struct Ranges: Decodable, Sendable { let small: Int8; let unsigned: UInt16; let wide: Int }
        let document = try Pipeline { Router { Get("/r", query: Ranges.self) { _, _ in "ok" } } }.openAPI(info: OpenAPIInfo(title: "t", version: "1")).value
        guard case .array(let parameters)? = document["paths"]?["/r"]?["get"]?["parameters"] else { Issue.record("no parameters"); return }
        #expect(parameters.map { $0["schema"] } == [
            ["type": "integer", "minimum": -128, "maximum": 127],
            ["type": "integer", "minimum": 0, "maximum": 65535],
            Self.int64,
        ])
    }
    private func app() -> some Responder<Request, Response> {
        Pipeline {
            Router {
                Get("/users/{user_id}/items", inputs: UserItems.self) { _, inputs in
                    "\(inputs.user_id) \(inputs.limit.map(String.init) ?? "-") \(inputs.tag.joined(separator: ",")) \(inputs.q ?? "-")"
                }
            }
        }
    }

    @Test func oneTypeTakesTheTemplatesFieldsFromThePathAndTheRestFromTheQuery() async throws {
        try await app().test { client in
            #expect(try await client.get("/users/7/items?limit=3&tag=a&tag=b%2Bc&q=red+lamp").text == "7 3 a,b+c red lamp")
            #expect(try await client.get("/users/7/items?user_id=9").text == "7 -  -", "the path wins over a query parameter of the same name")
            #expect(try await client.get("/users/7/items?%71=encoded").text == "7 -  encoded", "percent-encoded names match")
            let bad = try await client.get("/users/x/items?limit=many")
            #expect(bad.status == .unprocessableContent)
            let detail = try bad.decode(JSONValueForTests.self)["detail"]
            guard case .array(let issues)? = detail else { Issue.record("no detail: \(bad.text)"); return }
            #expect(issues.map { $0["loc"] } == [.array([.string("path"), .string("user_id")]), .array([.string("query"), .string("limit")])])
        }
    }

    @Test func theDocumentSplitsTheFieldsIntoPathAndQueryParameters() throws {
        let document = try Pipeline { app() }.openAPI(info: OpenAPIInfo(title: "t", version: "1")).value
        let parameters = document["paths"]?["/users/{user_id}/items"]?["get"]?["parameters"]
        #expect(
            parameters == [
                ["name": "user_id", "in": "path", "required": true, "schema": Self.int64],
                ["name": "limit", "in": "query", "required": false, "schema": Self.int64],
                ["name": "tag", "in": "query", "required": false, "schema": ["type": "array", "items": ["type": "string"]]],
                ["name": "q", "in": "query", "required": false, "schema": ["type": "string"]],
            ]
        )
    }

    @Test func aTemplateParameterTheInputsTypeLacksIsAStartUpProblem() {
        let app = Pipeline { Router { Get("/users/{id}/items", inputs: UserItems.self) { _, inputs in "\(inputs.user_id)" } } }
        #expect(app.composition.problems == [
            "GET /users/{id}/items: the path declares {id} but UserItems has no field of that name (its fields: user_id, limit, tag, q); add the field or rename the parameter.",
        ])
    }
}

import Testing
import Trellis
import TrellisTesting

struct NewItem: Codable, Sendable, Equatable {
    let name: String
    let price: Double
    let tags: [String]?
}

struct Cart: Decodable {
    let items: [NewItem]
}

struct Filter: Decodable, Equatable {
    enum Sort: String, Decodable { case name, price }
    let q: String?
    let limit: Int
    let tag: [String]
    let sort: Sort?
    let exact: Bool?
}

struct DecodingTests {
    let app = Pipeline(reporter: .discarding) {
        Router {
            Post("/items", body: NewItem.self) { _, item in item }
            Post("/cart", body: Cart.self) { _, cart in "\(cart.items.count) items" }
            Post("/manual") { request in
                let item = try await request.decode(NewItem.self, limit: 64)
                return "\(item.name) \(item.price)"
            }
            Get("/search") { request in
                let filter = try request.query.decode(Filter.self)
                return "\(filter.q ?? "-") \(filter.limit) \(filter.tag) \(filter.sort?.rawValue ?? "-") \(filter.exact ?? false)"
            }
        }
    }

    func post(_ path: String, _ body: String, type: String? = "application/json") async throws -> TestResponse {
        var headers: HTTPHeaders = [:]
        if let type { headers[.contentType] = type }
        return try await app.test { try await $0.execute(.post, path, headers: headers, body: body) }
    }

    @Test func jsonBodyDecodesIntoTheRoutesType() async throws {
        let response = try await post("/items", #"{"name":"lamp","price":12.5,"tags":["home"]}"#)
        #expect(response.status == .ok)
        #expect(response.text == #"{"name":"lamp","price":12.5,"tags":["home"]}"#)
        let untyped = try await post("/items", #"{"name":"lamp","price":3}"#, type: nil)
        #expect(untyped.status == .ok, "no Content-Type is read as JSON, as FastAPI does")
        let suffix = try await post("/items", #"{"name":"lamp","price":3}"#, type: "application/merge-patch+json; charset=utf-8")
        #expect(suffix.status == .ok)
    }

    @Test func missingFieldIs422NamingIt() async throws {
        let response = try await post("/items", #"{"name":"lamp"}"#)
        #expect(response.status == .unprocessableContent)
        #expect(response.headers[.contentType] == "application/json")
        #expect(response.text == #"{"detail":[{"loc":["body","price"],"msg":"Field required","type":"missing"}]}"#)
    }

    @Test func wrongTypeIs422WithTheCodingPathIncludingIndexes() async throws {
        let response = try await post("/cart", #"{"items":[{"name":"a","price":1},{"name":"b","price":"x"}]}"#)
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains(#""loc":["body","items",1,"price"]"#), "\(response.text)")
        #expect(response.text.contains(#""type":"float_type""#))
        let topLevel = try await post("/items", "[1,2]")
        #expect(topLevel.status == .unprocessableContent)
        #expect(topLevel.text.contains(#""loc":["body"]"#))
        let null = try await post("/items", #"{"name":null,"price":1}"#)
        #expect(null.status == .unprocessableContent)
        #expect(null.text.contains(#""loc":["body","name"]"#))
    }

    /// FastAPI lists every field that does not fit in one 422, each with its `loc`.
    @Test func everyBadFieldIsListedInOne422() async throws {
        let response = try await post("/items", #"{"name":5,"tags":["a",7,"c",false]}"#)
        #expect(response.status == .unprocessableContent)
        let expected = #"{"detail":["#
            + #"{"loc":["body","name"],"msg":"Input should be a valid string","type":"string_type"},"#
            + #"{"loc":["body","price"],"msg":"Field required","type":"missing"},"#
            + #"{"loc":["body","tags",1],"msg":"Input should be a valid string","type":"string_type"},"#
            + #"{"loc":["body","tags",3],"msg":"Input should be a valid string","type":"string_type"}]}"#
        #expect(response.text == expected)

        let nested = try await post("/cart", #"{"items":[{"name":1,"price":1},{"name":"b"},{"name":"c","price":"x"}]}"#)
        #expect(nested.status == .unprocessableContent)
        #expect(nested.text.contains(#""loc":["body","items",0,"name"]"#), "\(nested.text)")
        #expect(nested.text.contains(#""loc":["body","items",1,"price"],"msg":"Field required""#))
        #expect(nested.text.contains(#""loc":["body","items",2,"price"],"msg":"Input should be a valid number""#))

        let form = try await post("/items", "name=a&price=x&tags=1", type: "application/x-www-form-urlencoded")
        #expect(form.text.contains(#""loc":["body","price"]"#), "\(form.text)")
        let query = try await app.test { try await $0.get("/search?limit=many&sort=size&exact=maybe") }
        #expect(query.status == .unprocessableContent)
        for field in ["limit", "sort", "exact"] {
            #expect(query.text.contains(#""loc":["query","\#(field)"]"#), "\(field): \(query.text)")
        }
    }

    @Test func malformedJSONIs400() async throws {
        for body in ["{", #"{"name":}"#, "nope", ""] {
            let response = try await post("/items", body)
            #expect(response.status == .badRequest, "\(body)")
        }
    }

    @Test func otherContentTypeIs415() async throws {
        let response = try await post("/items", "name=lamp", type: "text/plain")
        #expect(response.status == .unsupportedMediaType)
    }

    @Test func bodyPastTheLimitIs413() async throws {
        let big = #"{"name":""# + String(repeating: "x", count: 100) + #"","price":1}"#
        #expect(try await post("/manual", big).status == .contentTooLarge)
        #expect(try await post("/manual", #"{"name":"a","price":2}"#).text == "a 2.0")
    }

    @Test func formBodyDecodes() async throws {
        let response = try await post("/items", "name=desk+lamp&price=9.5&tags=a&tags=b", type: "application/x-www-form-urlencoded")
        #expect(response.status == .ok)
        #expect(response.text == #"{"name":"desk lamp","price":9.5,"tags":["a","b"]}"#)
        let bad = try await post("/items", "name=lamp&price=cheap", type: "application/x-www-form-urlencoded")
        #expect(bad.status == .unprocessableContent)
        #expect(bad.text.contains(#""loc":["body","price"]"#))
    }

    @Test func queryDecodesWithOptionalsArraysEnumsAndBooleans() async throws {
        let response = try await app.test { try await $0.get("/search?limit=5&tag=a&tag=b&sort=price&exact=on") }
        #expect(response.text == #"- 5 ["a", "b"] price true"#)
        let minimal = try await app.test { try await $0.get("/search?limit=1") }
        #expect(minimal.text == "- 1 [] - false", "an absent array field is empty")
    }

    @Test func badQueryIs422InQuery() async throws {
        let missing = try await app.test { try await $0.get("/search") }
        #expect(missing.status == .unprocessableContent)
        #expect(missing.text == #"{"detail":[{"loc":["query","limit"],"msg":"Field required","type":"missing"}]}"#)
        let wrong = try await app.test { try await $0.get("/search?limit=ten") }
        #expect(wrong.text.contains(#""loc":["query","limit"]"#))
        // Text that does not parse is `int_parsing`, as FastAPI reports a query, and as a path
        // parameter read with `require(_:as:)` already was.
        #expect(wrong.text == #"{"detail":[{"loc":["query","limit"],"msg":"Input should be a valid integer, got 'ten'","type":"int_parsing"}]}"#)
        let badEnum = try await app.test { try await $0.get("/search?limit=1&sort=size") }
        #expect(badEnum.status == .unprocessableContent)
    }
}

import Testing
import Trellis
import TrellisTesting

private struct Item: Codable, Sendable {
    let item_id: Int
    let q: String?
}
private enum Sort: String, Decodable, CaseIterable, Sendable, ParameterValue { case name, price }

private func makeApp() -> some Responder<Request, Response> {
    Pipeline(errorFormat: .json) {
        Router {
            Get("/items/{item_id}", .path("item_id", as: Int.self), .query("q", as: String?.self)) { _, itemID, q in
                Item(item_id: itemID, q: q)
            }
            Get("/search", .query("q", as: String.self), .query("limit", as: Int?.self), .query("sort", as: Sort?.self)) { _, q, limit, sort in
                "\(q) limit=\(limit.map(String.init) ?? "none") sort=\(sort?.rawValue ?? "none")"
            }
            Get("/tenant", .header("X-Tenant", as: String.self)) { _, tenant in "tenant \(tenant)" }
            Get("/flags", .query("on", as: Bool.self), .query("ratio", as: Double?.self)) { _, on, ratio in "\(on) \(ratio ?? -1)" }
        }
    }
}

@Suite struct DeclaredParameterTests {
    @Test func theHandlerReceivesEachParameterConverted() async throws {
        try await makeApp().test { client in
            let response1 = try await client.get("/items/42?q=x")

            #expect(response1.text == #"{"item_id":42,"q":"x"}"#)
            let response2 = try await client.get("/items/42")

            #expect(response2.text == #"{"item_id":42}"#, "an absent optional is nil")
            let response3 = try await client.get("/items/7?q=a%20b&q=last")

            #expect(response3.text == #"{"item_id":7,"q":"last"}"#, "decoded; the last of repeated values")
            let response4 = try await client.get("/search?q=shoes&limit=5&sort=price")

            #expect(response4.text == "shoes limit=5 sort=price")
            let response5 = try await client.get("/search?q=shoes")

            #expect(response5.text == "shoes limit=none sort=none")
            let response6 = try await client.get("/tenant", headers: ["x-tenant": "acme"])

            #expect(response6.text == "tenant acme", "header names are case-insensitive")
            let response7 = try await client.get("/flags?on=YES&ratio=0.5")

            #expect(response7.text == "true 0.5")
        }
    }

    @Test func everyWrongParameterIsListedInOne422WithItsLocation() async throws {
        try await makeApp().test { client in
            let bad = try await client.get("/items/abc")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text == #"{"detail":[{"loc":["path","item_id"],"msg":"Input should be a valid integer, got 'abc'","type":"int_parsing"}]}"#)

            let several = try await client.get("/search?limit=many&sort=size")
            #expect(several.status == .unprocessableContent)
            #expect(several.text == #"{"detail":["#
                + #"{"loc":["query","q"],"msg":"Field required","type":"missing"},"#
                + #"{"loc":["query","limit"],"msg":"Input should be a valid integer, got 'many'","type":"int_parsing"},"#
                + #"{"loc":["query","sort"],"msg":"Input should be a Sort, got 'size'","type":"value_error"}]}"#)

            let noTenant = try await client.get("/tenant")
            #expect(noTenant.text == #"{"detail":[{"loc":["header","X-Tenant"],"msg":"Field required","type":"missing"}]}"#)

            let notANumber = try await client.get("/flags?on=maybe&ratio=nan")
            #expect(notANumber.text == #"{"detail":["#
                + #"{"loc":["query","on"],"msg":"Input should be a valid boolean, got 'maybe'","type":"bool_parsing"},"#
                + #"{"loc":["query","ratio"],"msg":"Input should be a valid number, got 'nan'","type":"float_parsing"}]}"#)
        }
    }

    @Test func theDocumentListsEachParameterWithItsSchema() async throws {
        let document = try Pipeline { Router {
            Get("/items/{item_id}", .path("item_id", as: Int.self), .query("q", as: String?.self), .query("sort", as: Sort?.self)) { _, itemID, q, _ in
                Item(item_id: itemID, q: q)
            }
            Get("/tenant", .header("X-Tenant", as: String.self)) { _, tenant in tenant }
        } }.openAPI(info: OpenAPIInfo(title: "T", version: "1")).value
        let get = document["paths"]?["/items/{item_id}"]?["get"]
        #expect(get?["parameters"] == .array([
            ["name": "item_id", "in": "path", "required": true,
             "schema": ["type": "integer", "format": "int64", "minimum": .int(Int.min), "maximum": .int(Int.max)]],
            ["name": "q", "in": "query", "required": false, "schema": ["type": "string"]],
            ["name": "sort", "in": "query", "required": false, "schema": ["$ref": "#/components/schemas/Sort"]],
        ]))
        #expect(document["components"]?["schemas"]?["Sort"] == ["type": "string", "enum": ["name", "price"]])
        #expect(get?["responses"]?["422"] != nil, "a route that converts parameters can answer 422")
        #expect(document["paths"]?["/tenant"]?["get"]?["parameters"] == .array([
            ["name": "X-Tenant", "in": "header", "required": true, "schema": ["type": "string"]],
        ]))
    }

    @Test func parametersThatDoNotFitTheTemplateStopTheServerNamingTheRoute() {
        let stray = Pipeline { Router { Get("/items", .path("item_id", as: Int.self)) { _, id in "\(id)" } } }
        #expect(stray.composition.problems == [
            "GET /items: the path parameter 'item_id' is declared but the path has no {item_id}; add it to the path or declare .query(\"item_id\") instead.",
        ])
        let undeclared = Pipeline { Router {
            Get("/shops/{shop}/items/{item_id}", .path("item_id", as: Int.self)) { _, id in "\(id)" }
        } }
        #expect(undeclared.composition.problems == [
            "GET /shops/{shop}/items/{item_id}: the path has {shop} but no .path(\"shop\", as: …) among the declared parameters; declare it.",
        ])
        let twice = Pipeline { Router { Get("/search", .query("q", as: String.self), .query("q", as: String?.self)) { _, a, b in a + (b ?? "") } } }
        #expect(twice.composition.problems == ["GET /search: the query parameter 'q' is declared twice; declare it once."])
        let queryOnly = Pipeline { Router { Get("/items/{item_id}", .query("q", as: String?.self)) { request, q in q ?? "" } } }
        #expect(queryOnly.composition.problems.isEmpty, "a route may declare its query and read its path by hand")
    }
}

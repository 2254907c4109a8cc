import Foundation
import Testing
import Trellis
import TrellisMiddleware
import TrellisServer

/// The first-hour shop: a DB session for every request (released after the response), a public
/// group, an auth group below the session provider, and handlers that read both values by name.
struct ShopDBSession: Sendable {
    let number: Int
    static let opened = Counter()
    static let closed = Counter()
    static func open() -> ShopDBSession {
        opened.add()
        return ShopDBSession(number: opened.current)
    }
    func close() { Self.closed.add() }
}

struct ShopUser: Sendable { let name: String }
struct ShopProduct: Codable, Sendable { let name: String; let session: Int }
struct ShopOrders: Codable, Sendable { let user: String; let session: Int }

extension With where Value == ShopDBSession {
    var session: ShopDBSession { value }
}

func makeShop() -> some Responder<Request, Response> {
    Pipeline(reporter: .discarding) {
        RequestID()
        ProcessTime()
        Provide { _ in ShopDBSession.open() } release: { session, _ in session.close() }
        GZip()
        Router.taking(With<ShopDBSession, Request>.self) {
            Group("/products") {
                Get("/") { input in [ShopProduct(name: "tea", session: input.session.number)] }
            }
            Group("/account", middleware: BearerAuth(realm: "shop") { token in token == "ada-token" ? ShopUser(name: "ada") : nil }) {
                Get("/orders") { input in ShopOrders(user: input.user.name, session: input[ShopDBSession.self].number) }
            }
        }
    }
}

@Suite struct ShopTests {
    @Test func sessionProviderAboveAnAuthGroupServesBothValues() async throws {
        try await withServer(makeShop()) { server in
            let client = try RawClient(port: server.port, timeout: 10)
            let closedBefore = ShopDBSession.closed.current

            try client.send("GET /products HTTP/1.1\r\nHost: t\r\n\r\n")
            let products = try client.readResponse()
            #expect(products.status == 200)
            #expect(products.text.hasPrefix(#"[{"name":"tea","session":"#))
            #expect(products.header("X-Process-Time") != nil)

            try client.send("GET /account/orders HTTP/1.1\r\nHost: t\r\n\r\n")
            let refused = try client.readResponse()
            #expect(refused.status == 401)
            #expect(refused.header("WWW-Authenticate") == #"Bearer realm="shop""#)
            #expect(refused.header("X-Request-ID") != nil)

            try client.send("GET /account/orders HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ada-token\r\n\r\n")
            let orders = try client.readResponse()
            #expect(orders.status == 200)
            #expect(orders.text.hasPrefix(#"{"user":"ada","session":"#))

            // Every request opened a session and each was released after its response.
            #expect(eventually(within: 5) { ShopDBSession.closed.current - closedBefore >= 3 })
        }
    }
}

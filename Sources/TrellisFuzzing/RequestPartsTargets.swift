import Foundation
import Trellis
import TrellisMiddleware

/// Router path matching and percent-decoding, and query decoding, on arbitrary targets.
enum RouteTarget {
    static let trie = RouteTrie(patterns: [
        (.get, "/"), (.get, "/items/{item_id}"), (.post, "/items"), (.get, "/items/new"),
        (.get, "/users/{user}/posts/{post}"), (.delete, "/users/{user}"), (.get, "/files/{name}/raw"),
    ])

    /// Checks: a match has one value per parameter name, and no value holds a byte the path's
    /// percent-decoding could not have produced; the query parses into pairs that are all listed.
    static func run(_ input: inout FuzzInput) -> String? {
        let methods: [HTTPMethod] = [.get, .post, .delete, .head, .put]
        let method = methods[input.number(below: methods.count)]
        let target = "/" + input.string(upTo: 200)
        let request = Request(method: method, target: target)
        switch trie.match(method: method, path: request.pathSlice) {
        case .route(let index, let parameters, _):
            let names = trie.parameterNames[index]
            if parameters.namesThenValues.count != 2 * names.count {
                return "route \(index): \(names.count) names, \(parameters.namesThenValues.count) names and values for \(target)"
            }
            if names.contains(where: { (parameters[$0] ?? "").isEmpty }) { return "an empty parameter value for \(target)" }
        case .methodNotAllowed(let allow):
            if allow.isEmpty { return "405 with an empty Allow for \(target)" }
        case .notFound, .badPath:
            break
        }
        let query = request.query
        for item in query where query[item.name] == nil {
            return "query pair \(item.name)=\(item.value) not found by name in \(target)"
        }
        return nil
    }
}

/// The `Cookie` header parser.
enum CookieTarget {
    /// Checks: every cookie has a token name; a value never holds `;` (pairs never run into each
    /// other); written back as `name=value; …` (values that were quoted aside) the pairs parse to
    /// themselves. Values are kept as sent,
    /// as browsers send what scripts and other servers set (the parser is lenient, by design).
    static func run(_ input: inout FuzzInput) -> String? {
        var headers = HTTPHeaders()
        while !input.isAtEnd, headers.count < 4 { headers.append(.cookie, input.string(upTo: 120)) }
        let cookies = Cookies(headers: headers)
        for cookie in cookies {
            if cookie.name.isEmpty || !cookie.name.utf8.allSatisfy(HTTPSyntax.isTokenChar) { return "cookie name \(cookie.name.debugDescription)" }
            if cookie.value.utf8.contains(UInt8(ascii: ";")) { return "cookie \(cookie.name) value \(cookie.value.debugDescription) holds ';'" }
        }
        // A value that was quoted keeps what was inside the quotes, spaces included; the others
        // must come back unchanged.
        // Judged by bytes, as the parser splits and trims: a space or quote followed by a
        // combining mark is one Character with it, but still a byte the parser trims or unquotes.
        let plain = cookies.filter { cookie in
            let first = cookie.value.utf8.first, last = cookie.value.utf8.last
            return first != UInt8(ascii: "\"") && !(first.map(HTTPSyntax.isWhitespace) ?? false) && !(last.map(HTTPSyntax.isWhitespace) ?? false)
        }
        let again = Cookies(headers: [.cookie: plain.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")])
        if Array(again) != plain { return "re-parsing \(plain) gave \(Array(again))" }
        return nil
    }
}

/// What the decoding targets decode into: the shapes a handler declares.
struct FuzzOrder: Codable, Sendable {
    struct Line: Codable, Sendable {
        let sku: String
        let quantity: Int
        let price: Double
        let note: String?
    }
    let id: Int
    let paid: Bool
    let tags: [String]
    let lines: [Line]?
    let score: Float?
    let code: UInt8?
}

struct FuzzForm: Codable, Sendable {
    let name: String
    let price: Double
    let count: Int?
    let flags: [Bool]?
    let ratio: Float?
}

/// JSON request bodies (`JSONBody.decode`) and form bodies (`FormDecoder`).
enum DecodingTarget {
    /// Checks: decoding throws only client errors (400 or a 422 `ValidationError` whose body
    /// encodes), and what it decodes can be written back as JSON (no value a response cannot carry).
    static func run(_ input: inout FuzzInput, form: Bool) -> String? {
        let bytes = input.rest()
        do {
            if form {
                let text = String(decoding: bytes, as: UTF8.self)
                let parsed = Result { () throws(ValidationError) in try FormDecoder.decode(FuzzForm.self, from: QueryParameters(parsing: text[...]), source: .body) }
                // The same text read in place from a request target (a declared route's query) must
                // decode to the same value, or fail the same way.
                let inPlace = Result { () throws(ValidationError) in try FormDecoder.decode(FuzzForm.self, queryOf: "/?" + text, source: .body) }
                switch (parsed, inPlace) {
                case (.success(let one), .success(let other)):
                    if try JSONWriter.encode(one) != JSONWriter.encode(other) { return "query read in place decodes differently from parsed pairs: \(text)" }
                case (.failure(let one), .failure(let other)):
                    if one.issues.map(\.message) != other.issues.map(\.message) { return "query read in place fails differently: \(text)" }
                default:
                    return "query read in place and parsed pairs disagree on success: \(text)"
                }
                let value = try parsed.get()
                _ = try JSONWriter.encode(value)
            } else {
                let value = try JSONBody.decode(FuzzOrder.self, from: bytes)
                // Whatever strings the body held, what the writer makes of them is JSON.
                let written = try JSONWriter.encode(value)
                if (try? JSONSerialization.jsonObject(with: Data(written))) == nil {
                    return "JSONWriter wrote what is not JSON: \(String(decoding: written, as: UTF8.self).debugDescription)"
                }
            }
        } catch let error as ValidationError {
            if error.status.code != 422 { return "validation error with status \(error.status.code)" }
            let response = error.response(format: .json)
            guard case .bytes(let body) = response.body.storage, (try? JSONSerialization.jsonObject(with: Data(body))) != nil else {
                return "a 422 body that is not JSON: \(response)"
            }
        } catch let error as HTTPError {
            if error.status.code != 400 { return "HTTP error \(error.status.code) from decoding" }
        } catch let error as JSONWriter.Unsupported {
            return "decoded a value JSONWriter cannot write back: \(error)"
        } catch {
            return "decoding threw a non-client error: \(String(reflecting: error))"
        }
        return nil
    }
}

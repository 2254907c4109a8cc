#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A value a route handler can return: the router turns it into a `Response`.
///
/// `String` becomes `text/plain; charset=utf-8`, `[UInt8]` becomes `application/octet-stream`,
/// `HTTPStatus` an empty response with that status, and `Response` is sent as is. Handlers may also
/// return any `Encodable` value, sent as `application/json`.
///
/// ```swift
/// struct Created: ResponseConvertible {
///     func makeResponse() throws -> Response { Response(status: .created) }
/// }
/// ```
public protocol ResponseConvertible: Sendable {
    /// The response to send.
    func makeResponse() throws -> Response
}

extension Response: ResponseConvertible {
    /// The response itself.
    @inlinable public func makeResponse() -> Response { self }
}

extension String: ResponseConvertible {
    /// A `text/plain; charset=utf-8` response with the string as UTF-8.
    @inlinable public func makeResponse() -> Response { Response.text(self) }
}

extension Substring: ResponseConvertible {
    /// A `text/plain; charset=utf-8` response with the string as UTF-8.
    @inlinable public func makeResponse() -> Response { Response.text(String(self)) }
}

extension Array: ResponseConvertible where Element == UInt8 {
    /// An `application/octet-stream` response with these bytes.
    @inlinable public func makeResponse() -> Response {
        Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .bytes(self))
    }
}

extension HTTPStatus: ResponseConvertible {
    /// An empty response with this status.
    @inlinable public func makeResponse() -> Response { Response(status: self) }
}

/// Encodes handler results as JSON (`application/json`).
///
/// Keys come out in the order the type encodes them (declaration order for synthesised `Encodable`),
/// written by `JSONWriter`; values it cannot model exactly like `JSONEncoder` (`Data`, `URL`,
/// `Decimal`, `superEncoder`) go through `JSONEncoder` with sorted keys instead.
@usableFromInline package enum JSONResponse {
    /// Encodes `value` as a JSON response; an encoding failure becomes a 500 with no detail.
    ///
    /// ```swift
    /// let response = try JSONResponse.make(Item(itemID: 1, q: nil))
    /// ```
    @usableFromInline package static func make<Value: Encodable>(_ value: Value, status: HTTPStatus = .ok) throws -> Response {
        let bytes: [UInt8]
        do {
            bytes = try JSONWriter.encode(value)
        } catch is JSONWriter.Unsupported {
            do {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                bytes = Array(try encoder.encode(value))
            } catch {
                throw HTTPError(.internalServerError)
            }
        } catch {
            throw HTTPError(.internalServerError)
        }
        return Response(status: status, headers: HTTPHeaders(.contentType, "application/json"), body: .recyclable(bytes))
    }
}

extension Response {
    /// A JSON response from any `Encodable` (keys in declaration order, as a handler's return
    /// value gets them) with the status and headers you choose.
    ///
    /// ```swift
    /// Post("/items", body: NewItem.self) { _, item in
    ///     try Response.json(item, status: .created, headers: [.location: "/items/7"])
    /// }
    /// ```
    public static func json<Value: Encodable>(_ value: Value, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) throws -> Response {
        var response = try JSONResponse.make(value, status: status)
        for field in headers {
            if field.name == .contentType { response.headers.remove(.contentType) }
            response.headers.append(field.name, field.value)
        }
        return response
    }
}

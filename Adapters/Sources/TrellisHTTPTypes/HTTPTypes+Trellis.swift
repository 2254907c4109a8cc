public import HTTPTypes
public import Trellis

extension HTTPFields {
    /// The same fields in the same order, duplicates kept.
    ///
    /// ```swift
    /// let fields = HTTPFields(request.headers)
    /// ```
    public init(_ headers: HTTPHeaders) {
        self.init()
        for field in headers {
            guard let name = HTTPField.Name(field.name.rawName) else { continue }
            append(HTTPField(name: name, value: field.value))
        }
    }
}

extension HTTPHeaders {
    /// The same fields in the same order, duplicates kept.
    ///
    /// ```swift
    /// let headers = HTTPHeaders(response.headerFields)
    /// ```
    public init(_ fields: HTTPFields) {
        self.init()
        for field in fields { append(HTTPHeaders.Name(field.name.rawName), field.value) }
    }
}

extension HTTPRequest {
    /// Trellis's request head as swift-http-types' `HTTPRequest` (the path field is the request
    /// target; the authority is the `Host` header, which stays among the fields too).
    ///
    /// ```swift
    /// let head = HTTPRequest(request)
    /// ```
    public init(_ request: Request) {
        self.init(
            method: HTTPRequest.Method(request.method.rawValue) ?? .get,
            scheme: nil,
            authority: request.headers[.host],
            path: request.target,
            headerFields: HTTPFields(request.headers)
        )
    }
}

extension Request {
    /// A Trellis request from swift-http-types' head and a body.
    ///
    /// ```swift
    /// let request = Request(head, body: Array("{}".utf8))
    /// ```
    public init(_ head: HTTPRequest, body: [UInt8] = []) {
        var headers = HTTPHeaders(head.headerFields)
        if let authority = head.authority, !headers.contains(.host) { headers.append(.host, authority) }
        self.init(method: HTTPMethod(head.method.rawValue), target: head.path ?? "/", headers: headers, body: body)
    }
}

extension HTTPResponse {
    /// Trellis's response status and headers as swift-http-types' `HTTPResponse`.
    ///
    /// ```swift
    /// let head = HTTPResponse(response)
    /// ```
    public init(_ response: Response) {
        self.init(status: HTTPResponse.Status(code: response.status.code), headerFields: HTTPFields(response.headers))
    }
}

extension Response {
    /// A Trellis response from swift-http-types' head and a body.
    ///
    /// ```swift
    /// let response = Response(head, body: Array("ok".utf8))
    /// ```
    public init(_ head: HTTPResponse, body: [UInt8] = []) {
        self.init(status: HTTPStatus(code: head.status.code, reasonPhrase: head.status.reasonPhrase), headers: HTTPHeaders(head.headerFields), body: body)
    }
}

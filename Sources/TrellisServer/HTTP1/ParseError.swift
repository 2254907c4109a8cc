package import Trellis

/// Why a request could not be accepted: answered with `status` and a plain-text `message`, then the
/// connection is closed (after a framing error the byte stream can no longer be trusted).
package struct ParseError: Error, Equatable {
    package let status: HTTPStatus
    package let message: String

    package init(status: HTTPStatus, message: String) {
        self.status = status
        self.message = message
    }

    static func badRequest(_ message: String) -> ParseError { ParseError(status: .badRequest, message: message) }
}

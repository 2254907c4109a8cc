import Trellis

/// Why a request could not be accepted: answered with `status` and a plain-text `message`, then the
/// connection is closed (after a framing error the byte stream can no longer be trusted).
struct ParseError: Error, Equatable {
    let status: HTTPStatus
    let message: String

    static func badRequest(_ message: String) -> ParseError { ParseError(status: .badRequest, message: message) }
}

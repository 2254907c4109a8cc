/// Why a body read or a stream write was refused.
enum ConnectionError: Error, CustomStringConvertible {
    /// The request's response is finished: its body and its stream writer are dead.
    case requestFinished
    /// A stream write after its response was finished.
    case responseFinished
    /// Two tasks read the same request body at once.
    case concurrentBodyRead
    /// The connection failed or closed.
    case connectionClosed
    /// A stream with a declared length wrote more than that.
    case lengthExceeded

    var description: String {
        switch self {
        case .requestFinished: "the request's response is finished; its body can no longer be read"
        case .responseFinished: "the response is finished; its stream writer can no longer write"
        case .concurrentBodyRead: "the request body is already being read by another task"
        case .connectionClosed: "the connection is closed"
        case .lengthExceeded: "the stream wrote more bytes than its declared length"
        }
    }
}

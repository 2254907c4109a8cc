#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Trellis

/// The `Date: …\r\n` header line in IMF-fixdate form (RFC 9110 §5.6.7), formatted once per second
/// and shared by the connections of one event loop. Loop thread only.
final class HTTPDateCache {
    private var second: Int = -1
    private var line: [UInt8] = []

    /// The header line for the current second.
    func current() -> [UInt8] {
        let now = time(nil)
        if now != second {
            second = now
            line = Array("Date: \(CivilTime(secondsSince1970: Int64(now)).httpDate)\r\n".utf8)
        }
        return line
    }
}

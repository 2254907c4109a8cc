import Trellis
/// Comparison of secrets (tokens, passwords, signatures) in time that does not depend on where
/// they differ, so an attacker cannot find a secret byte by byte by timing failed attempts. Use it
/// instead of `==` for anything secret.
///
/// ```swift
/// BearerAuth { token in ConstantTime.equals(token, configuredToken) ? Service() : nil }
/// ```
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes; the time depends only on the lengths.
    ///
    /// ```swift
    /// ConstantTime.equals([1, 2, 3], [1, 2, 3]) // true
    /// ```
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | (a.count == b.count ? 0 : 1)
        var left = a.makeIterator()
        var right = b.makeIterator()
        // Walk the longer one in full, so a short guess costs as long as a long one.
        for _ in 0..<max(a.count, b.count) {
            let x = left.next() ?? 0
            let y = right.next() ?? 0
            difference |= x ^ y
        }
        return difference == 0
    }

    /// Whether two strings have the same UTF-8 bytes; the time depends only on the lengths.
    ///
    /// ```swift
    /// ConstantTime.equals(password, storedPassword)
    /// ```
    public static func equals(_ a: String, _ b: String) -> Bool { equals(a.utf8, b.utf8) }
}

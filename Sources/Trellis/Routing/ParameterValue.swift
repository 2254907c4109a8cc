/// A type a path, query or header parameter's text converts to, for routes that declare their
/// parameters one by one (`.path("item_id", as: Int.self)`): `String`, the integer types,
/// `Double`, `Float`, `Bool`, and an `Optional` of any of them for a parameter that may be absent.
///
/// Conform a `String`- or `Int`-backed enum to read it by its raw value (the OpenAPI document lists
/// its cases when it is `CaseIterable`):
///
/// ```swift
/// enum Sort: String, Decodable, CaseIterable, ParameterValue { case name, price }
/// Get("/items", .query("sort", as: Sort?.self)) { request, sort in … }
/// ```
public protocol ParameterValue: Decodable, Sendable {
    /// The value of a parameter's text, or `nil` when the text is not one (a `422`).
    ///
    /// ```swift
    /// Int(parameterText: "42")  // 42
    /// ```
    init?(parameterText text: String)

    /// The value of a parameter the request does not have, or `nil` when it is required (a `422`
    /// "Field required"). `nil` unless the type says otherwise; an `Optional` is `.some(nil)`.
    static var valueWhenAbsent: Self? { get }
}

extension ParameterValue {
    /// Required: an absent parameter is a `422`.
    @inlinable public static var valueWhenAbsent: Self? { nil }
}

extension ParameterValue where Self: RawRepresentable, RawValue: ParameterValue {
    /// The case whose raw value the text is.
    @inlinable public init?(parameterText text: String) {
        guard let rawValue = RawValue(parameterText: text) else { return nil }
        self.init(rawValue: rawValue)
    }
}

extension Optional: ParameterValue where Wrapped: ParameterValue {
    /// The wrapped value of the text.
    @inlinable public init?(parameterText text: String) {
        guard let value = Wrapped(parameterText: text) else { return nil }
        self = .some(value)
    }

    /// An absent optional parameter is `nil`.
    @inlinable public static var valueWhenAbsent: Self? { .some(nil) }
}

extension String: ParameterValue {
    /// The text itself.
    @inlinable public init?(parameterText text: String) { self = text }
}

extension Bool: ParameterValue {
    /// `true`, `1`, `on`, `yes` or `false`, `0`, `off`, `no`, in any case (form and query fields
    /// decoded into a type read a `Bool` this way too).
    public init?(parameterText text: String) {
        switch text.lowercased() {
        case "true", "1", "on", "yes": self = true
        case "false", "0", "off", "no": self = false
        default: return nil
        }
    }
}

extension ParameterValue where Self: BinaryFloatingPoint & LosslessStringConvertible {
    /// A finite number (`nan` and infinities are no number a client may send).
    @inlinable public init?(parameterText text: String) {
        guard let value = Self(text), value.isFinite else { return nil }
        self = value
    }
}

extension ParameterValue where Self: FixedWidthInteger {
    /// Decimal digits, with an optional sign for a signed type.
    @inlinable public init?(parameterText text: String) { self.init(text, radix: 10) }
}

extension Double: ParameterValue {}
extension Float: ParameterValue {}
extension Int: ParameterValue {}
extension Int64: ParameterValue {}
extension Int32: ParameterValue {}
extension UInt: ParameterValue {}
extension UInt64: ParameterValue {}
extension UInt32: ParameterValue {}

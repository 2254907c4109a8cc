/// A JSON value whose objects keep their keys in the order they were written, so an OpenAPI
/// document (and any schema in it) serialises the same bytes every time.
///
/// ```swift
/// let schema: OpenAPIValue = ["type": "string", "format": "uuid"]
/// print(String(decoding: schema.jsonBytes(), as: UTF8.self)) // {"type":"string","format":"uuid"}
/// ```
public enum OpenAPIValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral
{
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([OpenAPIValue])
    /// An object, its members in order.
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value.
        public var value: OpenAPIValue

        /// A member `key: value`.
        public init(_ key: String, _ value: OpenAPIValue) {
            self.key = key
            self.value = value
        }
    }

    /// A string value: `"text"`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer value: `7`.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A boolean value: `true`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A number: `0.5`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// An array: `["a", 1]`.
    public init(arrayLiteral elements: OpenAPIValue...) { self = .array(elements) }
    /// An object with the literal's keys in the literal's order: `["type": "string"]`.
    public init(dictionaryLiteral elements: (String, OpenAPIValue)...) { self = .object(elements.map { Member($0.0, $0.1) }) }

    /// The member `key` of an object (nil for anything else or a missing key).
    ///
    /// ```swift
    /// document["paths"]?["/items/{item_id}"]?["get"]
    /// ```
    public subscript(key: String) -> OpenAPIValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Sets `key` of an object: replaces the member in place, or appends it.
    mutating func set(_ key: String, _ value: OpenAPIValue) {
        guard case .object(var members) = self else { return }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(Member(key, value))
        }
        self = .object(members)
    }

    /// The value as compact JSON (object keys in their stored order).
    ///
    /// ```swift
    /// OpenAPIValue.array([1, "two"]).jsonBytes() // [1,"two"]
    /// ```
    public func jsonBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return bytes
    }

    private func write(into bytes: inout [UInt8]) {
        switch self {
        case .null: bytes += "null".utf8
        case .bool(let value): bytes += (value ? "true" : "false").utf8
        case .int(let value): bytes += String(value).utf8
        case .double(let value):
            if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
                bytes += String(Int(value)).utf8
            } else {
                bytes += (value.isFinite ? "\(value)" : "null").utf8
            }
        case .string(let value): JSONWriter.appendQuoted(value, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONWriter.appendQuoted(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

/// Decodes `name=value` pairs (a query string or an `application/x-www-form-urlencoded` body) into
/// a `Decodable` type: one field per name; repeated names fill an array field (`tag=a&tag=b`; an
/// absent array field is empty);
/// optional fields may be absent; strings, booleans (`true`/`false`, `1`/`0`, `on`/`off`,
/// `yes`/`no`), integers, floating-point numbers and `RawRepresentable` enums of those convert
/// from their text. Nested objects are not supported (a `422` names the field).
///
/// ```swift
/// struct Filter: Decodable { let q: String?; let limit: Int; let tag: [String] }
/// let filter = try FormDecoder.decode(Filter.self, from: QueryParameters(parsing: "limit=5&tag=a&tag=b"), source: .query)
/// ```
public enum FormDecoder {
    /// Decodes `T` from `pairs`; a value that does not fit throws a `ValidationError` for `source`.
    public static func decode<T: Decodable>(
        _ type: T.Type,
        from pairs: QueryParameters,
        source: ValidationError.Source
    ) throws(ValidationError) -> T {
        try decode(type, from: FieldTable(storage: .items(Array(pairs))), source: source)
    }

    /// Decodes `T` from a route's path parameters: their names, then their values in the same order.
    package static func decode<T: Decodable>(
        _ type: T.Type,
        namesThenValues: [String],
        source: ValidationError.Source
    ) throws(ValidationError) -> T {
        try decode(type, from: FieldTable(storage: .pairs(namesThenValues)), source: source)
    }

    /// Decodes `T` from the query of a request target (what follows its first `?`), reading each
    /// field where it is (no parsed copy).
    @usableFromInline package static func decode<T: Decodable>(_ type: T.Type, queryOf target: String, source: ValidationError.Source) throws(ValidationError) -> T {
        try decode(type, from: FieldTable(storage: .raw(RawQuery(target: target))), source: source)
    }

    /// Decodes `T` from path parameters (names, then values), then the raw query for the fields no
    /// parameter names.
    package static func decode<T: Decodable>(
        _ type: T.Type,
        namesThenValues: [String],
        thenQueryOf target: String,
        source: ValidationError.Source
    ) throws(ValidationError) -> T {
        try decode(type, from: FieldTable(storage: .pairsThenRaw(RawQuery(target: target), namesThenValues)), source: source)
    }

    private static func decode<T: Decodable>(_ type: T.Type, from fields: FieldTable, source: ValidationError.Source) throws(ValidationError) -> T {
        let decoder = FieldsDecoder(fields: fields)
        do {
            return try T(from: decoder)
        } catch let error as DecodingError {
            throw ValidationError(every: CollectingDecoding.issues(decoding: type, through: decoder), first: error, source: source)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError(source, path: [], message: "\(error)", type: "value_error")
        }
    }
}

/// The fields of a form, a query or a path, looked up by name in place (a handful of fields: a
/// scan, and no dictionary or per-field array to build). At most three words, like the decoder
/// that holds it: a larger `any Decoder` would be boxed on the heap once per decode.
private struct FieldTable {
    enum Storage {
        case items([QueryParameters.Item])
        /// Names, then values in the same order (path parameters).
        case pairs([String])
        /// A raw query string, `a=1&b=2`, scanned on each lookup.
        case raw(RawQuery)
        /// Path parameters (names, then values) first, then a raw query for the names they lack.
        case pairsThenRaw(RawQuery, [String])
    }

    let storage: Storage

    /// The index of the value of `name` in `namesThenValues`.
    private static func valueIndex(of name: String, in namesThenValues: [String]) -> Int? {
        let half = namesThenValues.count / 2
        return namesThenValues[..<half].lastIndex(of: name).map { $0 + half }
    }

    private static func allValues(of name: String, in namesThenValues: [String]) -> [String] {
        let half = namesThenValues.count / 2
        return namesThenValues[..<half].indices.compactMap { namesThenValues[$0] == name ? namesThenValues[$0 + half] : nil }
    }

    func contains(_ name: String) -> Bool {
        switch storage {
        case .items(let items): items.contains { $0.name == name }
        case .pairs(let pairs): Self.valueIndex(of: name, in: pairs) != nil
        case .raw(let query): query.last(name) != nil
        case .pairsThenRaw(let query, let pairs): Self.valueIndex(of: name, in: pairs) != nil || query.last(name) != nil
        }
    }

    /// The last value given for `name`.
    func last(_ name: String) -> String? {
        switch storage {
        case .items(let items): items.last { $0.name == name }?.value
        case .pairs(let pairs): Self.valueIndex(of: name, in: pairs).map { pairs[$0] }
        case .raw(let query): query.last(name)
        case .pairsThenRaw(let query, let pairs): Self.valueIndex(of: name, in: pairs).map { pairs[$0] } ?? query.last(name)
        }
    }

    /// Every value given for `name`, in order.
    func all(_ name: String) -> [String] {
        switch storage {
        case .items(let items): items.compactMap { $0.name == name ? $0.value : nil }
        case .pairs(let pairs): Self.allValues(of: name, in: pairs)
        case .raw(let query): query.all(name)
        case .pairsThenRaw(let query, let pairs):
            Self.valueIndex(of: name, in: pairs) != nil ? Self.allValues(of: name, in: pairs) : query.all(name)
        }
    }

    var names: [String] {
        switch storage {
        case .items(let items): items.map(\.name)
        case .pairs(let pairs): Array(pairs[..<(pairs.count / 2)])
        case .raw(let query): QueryParameters(parsing: query.text).map(\.name)
        case .pairsThenRaw(let query, let pairs): Array(pairs[..<(pairs.count / 2)]) + QueryParameters(parsing: query.text).map(\.name)
        }
    }
}

/// The top level: fields by name.
private struct FieldsDecoder: Decoder {
    let fields: FieldTable
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(FieldsContainer<Key>(fields: fields))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "Expected named fields."))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(String.self, .init(codingPath: codingPath, debugDescription: "Expected named fields."))
    }
}

private struct FieldsContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: FieldTable
    /// Always the top level: form fields do not nest.
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { fields.names.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { fields.contains(key.stringValue) }

    func decodeNil(forKey key: Key) throws -> Bool { !fields.contains(key.stringValue) }

    private func value(_ key: Key) throws -> FieldValue {
        guard fields.contains(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "Field required"))
        }
        return FieldValue(source: .field(fields, key.stringValue), parentPath: codingPath, key: key)
    }

    /// A field read as one value: its last value, looked up once (for a query read in place, one
    /// scan) and held as text, not as a copy of the table.
    private func single(_ key: Key) throws -> FieldValue {
        guard let text = fields.last(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "Field required"))
        }
        return FieldValue(source: .element(text), parentPath: codingPath, key: key)
    }

    /// The last value of a field that must be there (one lookup, nothing built around it).
    @inline(__always) private func text(_ key: Key) throws -> String {
        guard let text = fields.last(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "Field required"))
        }
        return text
    }

    /// `text` as an integer of type `T`, or the mismatch `FieldValue` reports.
    @inline(__always) private func integer<T: FixedWidthInteger>(_ type: T.Type, _ text: String, _ key: Key) throws -> T {
        guard let value = T(text) else { throw FieldValue(source: .element(text), parentPath: codingPath, key: key).mismatch(type) }
        return value
    }

    /// An optional field: one lookup (the standard library's default asks `contains`, then
    /// `decodeNil`, then decodes: three scans).
    private func optional<T: Decodable>(_ type: T.Type, _ key: Key, _ read: (FieldValue) throws -> T) throws -> T? {
        guard let text = fields.last(key.stringValue) else { return nil }
        return try read(FieldValue(source: .element(text), parentPath: codingPath, key: key))
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { fields.last(key.stringValue) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let text = fields.last(key.stringValue) else { return nil }
        return try integer(type, text, key)
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) { try $0.decode(type) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) { try $0.decode(type) } }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try single(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try text(key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try single(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try single(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, text(key), key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, text(key), key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, text(key), key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, text(key), key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, text(key), key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, text(key), key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, text(key), key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, text(key), key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, text(key), key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, text(key), key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        if !fields.contains(key.stringValue), T.self is any ExpressibleByArrayLiteral.Type {
            // A list field that is absent is an empty list.
            return try T(from: FieldValue(source: .absent, parentPath: codingPath, key: key))
        }
        return try T(from: value(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try value(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try value(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { FieldsDecoder(fields: fields) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try value(key) }
}

/// The values of one field: a single value (the last one given) or, as an array, all of them.
private struct FieldValue: Decoder, SingleValueDecodingContainer {
    enum Source {
        /// The field `name` of a table.
        case field(FieldTable, String)
        /// One element of a repeated field.
        case element(String)
        /// An absent list field.
        case absent
    }

    let source: Source
    let parentPath: [any CodingKey]
    let key: any CodingKey
    /// Where the value is, built only when asked (an error message): not once per field.
    var codingPath: [any CodingKey] { parentPath + [key] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var values: [String] {
        switch source {
        case .field(let fields, let name): fields.all(name)
        case .element(let value): [value]
        case .absent: []
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(
            [String: Any].self,
            .init(codingPath: codingPath, debugDescription: "Nested objects are not supported in form data.")
        )
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { FieldList(values: values, codingPath: codingPath) }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool {
        switch source {
        case .field(let fields, let name): fields.last(name) == nil
        case .element: false
        case .absent: true
        }
    }

    private var text: String {
        switch source {
        case .field(let fields, let name): fields.last(name) ?? ""
        case .element(let value): value
        case .absent: ""
        }
    }

    func mismatch<T>(_ type: T.Type) -> DecodingError {
        .typeMismatch(
            type,
            .init(
                codingPath: codingPath,
                debugDescription: "'\(text)' is not \(ValidationError.describe(type)).",
                underlyingError: UnparsableText(text: text)
            )
        )
    }

    private func number<T: LosslessStringConvertible>(_ type: T.Type) throws -> T {
        guard let value = T(text) else { throw mismatch(type) }
        return value
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard let value = Bool(parameterText: text) else { throw mismatch(type) }
        return value
    }

    func decode(_ type: String.Type) throws -> String { text }
    func decode(_ type: Double.Type) throws -> Double { try finite(number(type)) }
    func decode(_ type: Float.Type) throws -> Float { try finite(number(type)) }

    /// `nan`, `inf`, `-Infinity` and overflowing literals (`1e309`) parse as floating-point values
    /// but are no number a client may send (JSON has none, and no response could carry them back):
    /// a 422 like FastAPI's `finite_number`.
    private func finite<T: BinaryFloatingPoint>(_ value: T) throws -> T {
        guard value.isFinite else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "Input should be a finite number", underlyingError: NonFiniteNumber())
            )
        }
        return value
    }
    func decode(_ type: Int.Type) throws -> Int { try number(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try number(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try number(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try number(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try number(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try number(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try number(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try number(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try number(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try number(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
}

/// All the values of a repeated field, for an array.
private struct FieldList: UnkeyedDecodingContainer {
    let values: [String]
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { values.count }
    var isAtEnd: Bool { currentIndex >= values.count }

    init(values: [String], codingPath: [any CodingKey]) {
        self.values = values
        self.codingPath = codingPath
    }

    private mutating func next() throws -> FieldValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(String.self, .init(codingPath: codingPath, debugDescription: "No more values."))
        }
        defer { currentIndex += 1 }
        return FieldValue(source: .element(values[currentIndex]), parentPath: codingPath, key: IndexKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decode(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// A form field held `nan`, an infinity, or a number too large for its type.
struct NonFiniteNumber: Error {}

/// A form field's text that is not what its field reads (`abc` for an `Int`): a `*_parsing` issue,
/// as FastAPI reports text that does not parse, not a `*_type` one.
struct UnparsableText: Error {
    let text: String
}

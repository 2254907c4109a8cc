#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The decoder `SchemaRegistry` walks a type with: every value it is asked for is recorded (its
/// schema, under its key) and answered with a placeholder (zero, empty, the first enum case, `nil`
/// for `decodeIfPresent`), so the type's `init(from:)` runs to the end. With no registry it only
/// makes placeholders (for the value of a field whose type was already described).
struct RecordingDecoder: Decoder {
    let registry: SchemaRegistry?
    let node: SchemaNode
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        node.kind = .keyed
        return KeyedDecodingContainer(RecordingKeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        node.kind = .unkeyed
        return RecordingUnkeyedContainer()
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { RecordingSingleValueContainer(decoder: self) }

    /// Records `type`'s schema (when recording) and returns a placeholder value of it.
    func record<T: Decodable>(_ type: T.Type) throws -> (schema: OpenAPIValue, value: T) {
        let schema = try registry?.schema(for: type) ?? [:]
        return (schema, try placeholder(type))
    }

    /// A value of `type` that decoding could have produced.
    func placeholder<T: Decodable>(_ type: T.Type) throws -> T {
        if let value = Self.primitivePlaceholder(type) as? T { return value }
        if let optional = type as? any OptionalSchemaWalkable.Type, let value = optional.absent as? T { return value }
        if let array = type as? any ArraySchemaWalkable.Type, let value = array.empty as? T { return value }
        if let dictionary = type as? any DictionarySchemaWalkable.Type, let value = dictionary.empty as? T { return value }
        if let iterable = type as? any CaseIterable.Type {
            func first<C: CaseIterable>(_ type: C.Type) -> Any? { C.allCases.first }
            if let value = first(iterable) as? T { return value }
        }
        guard depth < 32 else {
            throw SchemaProblem(typeName: "\(type)", reason: "it contains itself without an optional or array in between")
        }
        return try T(from: RecordingDecoder(registry: nil, node: SchemaNode(), depth: depth + 1))
    }

    static func primitivePlaceholder(_ type: Any.Type) -> Any? {
        switch type {
        case is String.Type: ""
        case is Substring.Type: Substring("")
        case is Character.Type: Character(" ")
        case is Bool.Type: false
        case is Int.Type: 0 as Int
        case is Int8.Type: 0 as Int8
        case is Int16.Type: 0 as Int16
        case is Int32.Type: 0 as Int32
        case is Int64.Type: 0 as Int64
        case is UInt.Type: 0 as UInt
        case is UInt8.Type: 0 as UInt8
        case is UInt16.Type: 0 as UInt16
        case is UInt32.Type: 0 as UInt32
        case is UInt64.Type: 0 as UInt64
        case is Double.Type: 0 as Double
        case is Float.Type: 0 as Float
        case is Decimal.Type: Decimal(0)
        case is UUID.Type: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        case is URL.Type: URL(string: "http://localhost/")
        case is Date.Type: Date(timeIntervalSinceReferenceDate: 0)
        case is Data.Type: Data()
        default: nil
        }
    }
}

/// Records each field a keyed `init(from:)` reads.
struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: RecordingDecoder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (schema, value) = try decoder.record(type)
        // A field whose type is itself optional (`decode(String?.self, …)`) is not required.
        decoder.node.add(key.stringValue, schema, required: !(type is any OptionalSchemaWalkable.Type))
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(type, key) }

    // The standard library gives these their own default implementations (which would call
    // `decode` and record the field as required); each must be answered here.
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    /// Records an optional field (its schema allows `null`) and answers `nil`.
    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        let schema = try decoder.registry?.schema(for: type) ?? [:]
        decoder.node.add(key.stringValue, SchemaRegistry.nullable(schema), required: false)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let nested = SchemaNode()
        decoder.node.add(key.stringValue, [:], required: true, nested: nested)
        return try RecordingDecoder(registry: decoder.registry, node: nested, depth: decoder.depth + 1).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        decoder.node.add(key.stringValue, ["type": "array"], required: true)
        return RecordingUnkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        let nested = SchemaNode()
        decoder.node.add(key.stringValue, [:], required: true, nested: nested)
        return RecordingDecoder(registry: decoder.registry, node: nested, depth: decoder.depth + 1)
    }
}

/// An array a type reads element by element: empty (its element type is not known statically).
struct RecordingUnkeyedContainer: UnkeyedDecodingContainer {
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 0 }
    var isAtEnd: Bool { true }
    var currentIndex: Int { 0 }

    mutating func decodeNil() throws -> Bool { true }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        throw DecodingError.valueNotFound(type, .init(codingPath: [], debugDescription: "The walk reads no array elements."))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "The walk reads no array elements."))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { RecordingUnkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder {
        throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "The walk reads no array elements."))
    }
}

/// A type that reads one value (a wrapper, a custom scalar): its schema is that value's.
struct RecordingSingleValueContainer: SingleValueDecodingContainer {
    let decoder: RecordingDecoder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try decoder.record(type)
        decoder.node.kind = .single(schema)
        return value
    }
}

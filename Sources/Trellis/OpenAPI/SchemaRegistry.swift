#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why a type could not be described: its name, what went wrong, and the fix.
package struct SchemaProblem: Error, CustomStringConvertible, Sendable {
    /// The type.
    package let typeName: String
    /// What went wrong.
    package let reason: String

    package var description: String {
        "Trellis cannot describe \(typeName) for the OpenAPI document (\(reason)); conform it to OpenAPISchemaProviding to give its schema yourself."
    }
}

/// The JSON Schemas of the `Decodable` types a document uses, found by walking each type's
/// `init(from:)` with a recording decoder: keyed fields become properties (in the order the type
/// decodes them; `decodeIfPresent` ones not required), arrays `items`, `[String: V]`
/// `additionalProperties`, `CaseIterable` string or integer enums an `enum`, and structs and enums
/// named `components/schemas` entries referred to by `$ref` (a type that contains itself is a
/// `$ref` to itself, never an endless walk). Types it cannot walk conform to `OpenAPISchemaProviding`.
package final class SchemaRegistry {
    /// The named schemas, in the order they were first met.
    package private(set) var components: [OpenAPIValue.Member] = []
    private var names: [ObjectIdentifier: String] = [:]
    private var usedNames: Set<String> = []

    package init() {}

    /// The schema of `type`: inline for primitives, arrays, dictionaries and optionals, a `$ref`
    /// for structs and enums.
    package func schema(for type: any Decodable.Type) throws(SchemaProblem) -> OpenAPIValue {
        if let provider = type as? any OpenAPISchemaProviding.Type { return provider.openAPISchema.value }
        if let primitive = Self.primitiveSchema(type) { return primitive }
        if let optional = type as? any OptionalSchemaWalkable.Type {
            return Self.nullable(try schema(for: optional.wrappedDecodable))
        }
        if let array = type as? any ArraySchemaWalkable.Type {
            var schema: OpenAPIValue = ["type": "array", "items": try self.schema(for: array.elementDecodable)]
            if array.uniqueItems { schema.set("uniqueItems", true) }
            return schema
        }
        if let dictionary = type as? any DictionarySchemaWalkable.Type {
            return ["type": "object", "additionalProperties": try schema(for: dictionary.valueDecodable)]
        }
        let id = ObjectIdentifier(type)
        if let name = names[id] { return Self.reference(name) }
        let name = uniqueName(for: type)
        names[id] = name
        let schema: OpenAPIValue
        if let enumeration = Self.enumSchema(type) {
            schema = enumeration
        } else {
            schema = try walk(type).schema(registry: self, typeName: "\(type)")
        }
        components.append(OpenAPIValue.Member(name, schema))
        return Self.reference(name)
    }

    /// The named fields of a struct, for parameters: name, schema, whether required.
    package func fields(of type: any Decodable.Type) throws(SchemaProblem) -> [(name: String, schema: OpenAPIValue, required: Bool)] {
        let node = try walk(type)
        guard case .keyed = node.kind else {
            throw SchemaProblem(typeName: "\(type)", reason: "parameters need a struct whose fields are the parameters")
        }
        return node.properties.map { ($0.name, $0.schema, $0.required) }
    }

    /// Runs `type.init(from:)` against a recording decoder.
    private func walk(_ type: any Decodable.Type) throws(SchemaProblem) -> SchemaNode {
        let node = SchemaNode()
        do {
            _ = try type.init(from: RecordingDecoder(registry: self, node: node, depth: 0))
        } catch let problem as SchemaProblem {
            throw problem
        } catch {
            throw SchemaProblem(typeName: "\(type)", reason: "its init(from:) threw while being walked: \(error)")
        }
        return node
    }

    private func uniqueName(for type: any Decodable.Type) -> String {
        let base = String(String(describing: type).map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
        var name = base
        var suffix = 2
        while usedNames.contains(name) {
            name = "\(base)_\(suffix)"
            suffix += 1
        }
        usedNames.insert(name)
        return name
    }

    static func reference(_ name: String) -> OpenAPIValue { ["$ref": .string("#/components/schemas/\(name)")] }

    /// `schema` or `null` (an optional field may be sent as `null`).
    static func nullable(_ schema: OpenAPIValue) -> OpenAPIValue { ["anyOf": [schema, ["type": "null"]]] }

    static func primitiveSchema(_ type: Any.Type) -> OpenAPIValue? {
        switch type {
        case is String.Type, is Substring.Type, is Character.Type: ["type": "string"]
        case is Bool.Type: ["type": "boolean"]
        // With their ranges: a number outside one is a 422, so the document must not call it valid.
        case is Int.Type, is Int64.Type: integer(Int64.self, format: "int64")
        case is Int32.Type: integer(Int32.self, format: "int32")
        case is Int16.Type: integer(Int16.self)
        case is Int8.Type: integer(Int8.self)
        case is UInt8.Type: integer(UInt8.self)
        case is UInt16.Type: integer(UInt16.self)
        case is UInt32.Type: integer(UInt32.self)
        // (The document's numbers are Int64: unsigned 64-bit values are described up to Int64.max.)
        case is UInt.Type, is UInt64.Type: ["type": "integer", "minimum": 0, "maximum": .int(Int.max)]
        case is Double.Type, is Decimal.Type: ["type": "number"]
        case is Float.Type: ["type": "number", "format": "float"]
        case is UUID.Type: ["type": "string", "format": "uuid"]
        case is URL.Type: ["type": "string", "format": "uri"]
        case is Date.Type: ["type": "number", "description": "Seconds since 2001-01-01T00:00:00Z (JSONDecoder's default date strategy)."]
        case is Data.Type: ["type": "string", "contentEncoding": "base64"]
        default: nil
        }
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, format: String? = nil) -> OpenAPIValue {
        var schema: OpenAPIValue = ["type": "integer"]
        if let format { schema.set("format", .string(format)) }
        schema.set("minimum", .int(Int(T.min)))
        schema.set("maximum", .int(Int(T.max)))
        return schema
    }

    /// `CaseIterable` enums with `String` or integer raw values.
    static func enumSchema(_ type: Any.Type) -> OpenAPIValue? {
        guard let iterable = type as? any CaseIterable.Type else { return nil }
        func cases<T: CaseIterable>(_ type: T.Type) -> [Any] { T.allCases.map { $0 } }
        var strings: [OpenAPIValue] = []
        var integers: [OpenAPIValue] = []
        for value in cases(iterable) {
            guard let raw = value as? any RawRepresentable else { return nil }
            switch raw.rawValue {
            case let text as String: strings.append(.string(text))
            case let number as Int: integers.append(.int(number))
            default: return nil
            }
        }
        if !strings.isEmpty, integers.isEmpty { return ["type": "string", "enum": .array(strings)] }
        if !integers.isEmpty, strings.isEmpty { return ["type": "integer", "enum": .array(integers)] }
        return nil
    }
}

/// What walking one type found.
final class SchemaNode {
    enum Kind {
        case unknown
        case keyed
        case unkeyed
        case single(OpenAPIValue)
    }

    struct Property {
        var name: String
        var schema: OpenAPIValue
        var required: Bool
        var nested: SchemaNode?
    }

    var kind: Kind = .unknown
    var properties: [Property] = []

    func add(_ name: String, _ schema: OpenAPIValue, required: Bool, nested: SchemaNode? = nil) {
        if let index = properties.firstIndex(where: { $0.name == name }) {
            properties[index] = Property(name: name, schema: schema, required: required, nested: nested)
        } else {
            properties.append(Property(name: name, schema: schema, required: required, nested: nested))
        }
    }

    func schema(registry: SchemaRegistry, typeName: String) throws(SchemaProblem) -> OpenAPIValue {
        switch kind {
        case .unknown:
            throw SchemaProblem(typeName: typeName, reason: "its init(from:) reads nothing from the decoder")
        case .single(let schema):
            return schema
        case .unkeyed:
            return ["type": "array"]
        case .keyed:
            var members: [OpenAPIValue.Member] = []
            var required: [OpenAPIValue] = []
            for property in properties {
                let schema = try property.nested.map { nested throws(SchemaProblem) in try nested.schema(registry: registry, typeName: typeName) } ?? property.schema
                members.append(OpenAPIValue.Member(property.name, schema))
                if property.required { required.append(.string(property.name)) }
            }
            var schema: OpenAPIValue = ["type": "object", "properties": .object(members)]
            if !required.isEmpty { schema.set("required", .array(required)) }
            return schema
        }
    }
}

/// `Optional<Wrapped>` for the walk: its wrapped type, and `nil`.
protocol OptionalSchemaWalkable {
    static var wrappedDecodable: any Decodable.Type { get }
    static var absent: Self { get }
}

extension Optional: OptionalSchemaWalkable where Wrapped: Decodable {
    static var wrappedDecodable: any Decodable.Type { Wrapped.self }
    static var absent: Self { nil }
}

/// Arrays and sets for the walk: the element type, and an empty value.
protocol ArraySchemaWalkable {
    static var elementDecodable: any Decodable.Type { get }
    static var uniqueItems: Bool { get }
    static var empty: Self { get }
}

extension Array: ArraySchemaWalkable where Element: Decodable {
    static var elementDecodable: any Decodable.Type { Element.self }
    static var uniqueItems: Bool { false }
    static var empty: Self { [] }
}

extension Set: ArraySchemaWalkable where Element: Decodable {
    static var elementDecodable: any Decodable.Type { Element.self }
    static var uniqueItems: Bool { true }
    static var empty: Self { [] }
}

/// `[String: Value]` for the walk.
protocol DictionarySchemaWalkable {
    static var valueDecodable: any Decodable.Type { get }
    static var empty: Self { get }
}

extension Dictionary: DictionarySchemaWalkable where Key == String, Value: Decodable {
    static var valueDecodable: any Decodable.Type { Value.self }
    static var empty: Self { [:] }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Finds every field that does not fit, not only the first: the second pass `JSONBody` and
/// `FormDecoder` make once a decode has failed, so one `422` lists each bad field as FastAPI does.
///
/// It wraps the decoder that failed (Foundation's JSON decoder, the form decoder) and decodes `T`
/// again through it: a field that does not fit is recorded and replaced by a stand-in value (`0`,
/// `""`, `false`, an empty list, the first case of a `CaseIterable` enum, a nested type built from
/// stand-ins), so decoding carries on with the next field. A type no stand-in can be made for
/// ends the pass there, with what was found so far.
enum CollectingDecoding {
    /// Every `DecodingError` met decoding `T` through `decoder`, in field order.
    static func issues<T: Decodable>(decoding type: T.Type, through decoder: any Decoder) -> [DecodingError] {
        let log = IssueLog()
        do {
            _ = try T(from: CollectingDecoder(base: decoder, log: log))
        } catch let error as DecodingError {
            log.record(error)
        } catch {}
        return log.errors
    }

    /// The same for JSON bytes that Foundation's decoder has already refused.
    static func jsonIssues<T: Decodable>(decoding type: T.Type, from data: Data) -> [DecodingError] {
        let log = IssueLog()
        let decoder = JSONDecoder()
        decoder.userInfo[IssueLog.key] = log
        do {
            _ = try decoder.decode(Collected<T>.self, from: data)
        } catch let error as DecodingError {
            log.record(error)
        } catch {}
        return log.errors
    }
}

/// Decodes `T` through a collecting wrapper around the decoder Foundation hands it.
private struct Collected<T: Decodable>: Decodable {
    init(from decoder: any Decoder) throws {
        guard let log = decoder.userInfo[IssueLog.key] as? IssueLog else { return }
        _ = try T(from: CollectingDecoder(base: decoder, log: log))
    }
}

/// The errors found so far (one per coding path).
private final class IssueLog: @unchecked Sendable {
    // Sendable only to travel in a decoder's `userInfo`; used by the one decode that made it, on
    // its task, never shared.
    static let key = CodingUserInfoKey(rawValue: "trellis.issues")!
    private(set) var errors: [DecodingError] = []
    private var paths: Set<String> = []

    func record(_ error: DecodingError) {
        let path = Self.path(of: error)
        guard paths.insert(path).inserted else { return }
        errors.append(error)
    }

    var count: Int { errors.count }

    func truncate(to count: Int) {
        while errors.count > count { paths.remove(Self.path(of: errors.removeLast())) }
    }

    private static func path(of error: DecodingError) -> String {
        let context: DecodingError.Context
        var last: [any CodingKey] = []
        switch error {
        case .keyNotFound(let key, let c): context = c; last = [key]
        case .valueNotFound(_, let c), .typeMismatch(_, let c), .dataCorrupted(let c): context = c
        @unknown default: return ""
        }
        return (context.codingPath + last).map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "\u{0}")
    }
}

private struct CollectingDecoder: Decoder {
    let base: any Decoder
    let log: IssueLog
    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(CollectingKeyedContainer(base: try base.container(keyedBy: type), log: log))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        CollectingUnkeyedContainer(base: try base.unkeyedContainer(), log: log)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { try base.singleValueContainer() }
}

/// Decodes `T` from `child`; when it does not fit, collects what is wrong inside it (or records
/// `error`) and returns a stand-in.
private func collect<T: Decodable>(_ type: T.Type, from child: any Decoder, log: IssueLog) throws -> T {
    do {
        return try T(from: child)
    } catch let error as DecodingError {
        return try collectInside(type, child: child, failedWith: error, log: log)
    }
}

/// After `T` failed with `error`: decodes it again through a collecting wrapper of `child` to find
/// every issue inside it; if that finds none (or `child` is `nil`), records `error` itself. Returns a
/// stand-in so decoding goes on.
private func collectInside<T: Decodable>(_ type: T.Type, child: (any Decoder)?, failedWith error: DecodingError, log: IssueLog) throws -> T {
    if let child {
        let before = log.count
        if let value = try? T(from: CollectingDecoder(base: child, log: log)), log.count > before { return value }
        log.truncate(to: before)
    }
    log.record(error)
    return try StandIn.make(type, error: error)
}

private struct CollectingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let base: KeyedDecodingContainer<Key>
    let log: IssueLog
    var codingPath: [any CodingKey] { base.codingPath }
    var allKeys: [Key] { base.allKeys }

    func contains(_ key: Key) -> Bool { base.contains(key) }
    func decodeNil(forKey key: Key) throws -> Bool { try base.decodeNil(forKey: key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        do {
            return try base.decode(type, forKey: key)
        } catch let error as DecodingError {
            let child = base.contains(key) ? try? base.superDecoder(forKey: key) : nil
            return try collectInside(type, child: child, failedWith: error, log: log)
        }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeGeneric(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeGeneric(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeGeneric(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeGeneric(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeGeneric(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeGeneric(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeGeneric(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeGeneric(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeGeneric(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeGeneric(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeGeneric(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeGeneric(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeGeneric(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeGeneric(type, key) }

    private func decodeGeneric<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T { try decode(type, forKey: key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        KeyedDecodingContainer(CollectingKeyedContainer<NestedKey>(base: try base.nestedContainer(keyedBy: type, forKey: key), log: log))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        CollectingUnkeyedContainer(base: try base.nestedUnkeyedContainer(forKey: key), log: log)
    }

    func superDecoder() throws -> any Decoder { CollectingDecoder(base: try base.superDecoder(), log: log) }
    func superDecoder(forKey key: Key) throws -> any Decoder { CollectingDecoder(base: try base.superDecoder(forKey: key), log: log) }
}

private struct CollectingUnkeyedContainer: UnkeyedDecodingContainer {
    var base: any UnkeyedDecodingContainer
    let log: IssueLog
    var codingPath: [any CodingKey] { base.codingPath }
    var count: Int? { base.count }
    var isAtEnd: Bool { base.isAtEnd }
    var currentIndex: Int { base.currentIndex }

    mutating func decodeNil() throws -> Bool { try base.decodeNil() }

    /// Each element through its own decoder, so one that does not fit is passed over, not retried.
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try collect(type, from: try base.superDecoder(), log: log)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(CollectingKeyedContainer<NestedKey>(base: try base.nestedContainer(keyedBy: type), log: log))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        CollectingUnkeyedContainer(base: try base.nestedUnkeyedContainer(), log: log)
    }

    mutating func superDecoder() throws -> any Decoder { CollectingDecoder(base: try base.superDecoder(), log: log) }
}

/// Stand-in values for a field that did not fit, so decoding can go on to the next one.
private enum StandIn {
    static func make<T: Decodable>(_ type: T.Type, error original: DecodingError) throws -> T {
        if let cases = T.self as? any CaseIterable.Type, let first = firstCaseValue(cases) as? T { return first }
        if T.self is any RawRepresentable.Type, _isPOD(T.self) {
            // A raw-value enum with no case list: its first case is stored as zero. The stand-in is
            // only ever stored into a value the pass throws away.
            return withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { buffer in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                return raw.load(as: T.self)
            }
        }
        do {
            return try T(from: StandInDecoder(codingPath: []))
        } catch {
            throw original
        }
    }
}

/// A decoder with nothing in it that answers every question with an empty or zero value.
private struct StandInDecoder: Decoder, SingleValueDecodingContainer {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(StandInKeyed<Key>(codingPath: codingPath))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { StandInUnkeyed(codingPath: codingPath) }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { true }
    func decode(_ type: Bool.Type) throws -> Bool { false }
    func decode(_ type: String.Type) throws -> String { "" }
    func decode(_ type: Double.Type) throws -> Double { 0 }
    func decode(_ type: Float.Type) throws -> Float { 0 }
    func decode(_ type: Int.Type) throws -> Int { 0 }
    func decode(_ type: Int8.Type) throws -> Int8 { 0 }
    func decode(_ type: Int16.Type) throws -> Int16 { 0 }
    func decode(_ type: Int32.Type) throws -> Int32 { 0 }
    func decode(_ type: Int64.Type) throws -> Int64 { 0 }
    func decode(_ type: UInt.Type) throws -> UInt { 0 }
    func decode(_ type: UInt8.Type) throws -> UInt8 { 0 }
    func decode(_ type: UInt16.Type) throws -> UInt16 { 0 }
    func decode(_ type: UInt32.Type) throws -> UInt32 { 0 }
    func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try StandIn.make(type, error: .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "no stand-in")))
    }
}

extension StandIn {
    fileprivate static func firstCaseValue(_ type: any CaseIterable.Type) -> Any? { open(type) }
    private static func open<C: CaseIterable>(_ type: C.Type) -> Any? { C.allCases.first }
}

private struct StandInKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let codingPath: [any CodingKey]
    var allKeys: [Key] { [] }
    func contains(_ key: Key) -> Bool { false }
    func decodeNil(forKey key: Key) throws -> Bool { true }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try StandInDecoder(codingPath: codingPath + [key]).decode(type)
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(StandInKeyed<NestedKey>(codingPath: codingPath + [key]))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { StandInUnkeyed(codingPath: codingPath + [key]) }
    func superDecoder() throws -> any Decoder { StandInDecoder(codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { StandInDecoder(codingPath: codingPath + [key]) }
}

private struct StandInUnkeyed: UnkeyedDecodingContainer {
    let codingPath: [any CodingKey]
    var count: Int? { 0 }
    var isAtEnd: Bool { true }
    var currentIndex: Int { 0 }
    private func end() -> DecodingError { .valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "empty")) }
    mutating func decodeNil() throws -> Bool { true }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { throw end() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> { throw end() }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw end() }
    mutating func superDecoder() throws -> any Decoder { throw end() }
}

/// Ordered HTTP header fields with case-insensitive lookup.
///
/// Fields keep the order they were received or added in, and repeated fields are kept as separate
/// entries (nothing collapses them the way a dictionary would).
///
/// ```swift
/// var headers: HTTPHeaders = [.contentType: "application/json"]
/// headers.append(.vary, "Origin")
/// headers[.contentType]           // "application/json"
/// headers.values(for: "set-cookie") // every Set-Cookie, in order
/// ```
public struct HTTPHeaders: Sendable, Equatable, RandomAccessCollection, ExpressibleByDictionaryLiteral,
    CustomStringConvertible
{
    /// The fields as stored. A parser's values lie in the text of the request head, which only
    /// the first field holds (one reference for all of them, not one per field, and no room
    /// for it in headers no parser made): a field whose value lies there has only its offsets
    /// (`Field.inHeadText`), and is given `fields[0].text` when it is read. While any field does,
    /// the first field is not one of them and its text is the head's: what changes or removes
    /// the first field gives the others that text first (`giveFieldsTheirHeadText()`).
    @usableFromInline var fields: [Field]

    /// Creates an empty header list.
    @inlinable public init() { fields = [] }

    /// Creates a header list from fields, keeping their order.
    ///
    /// ```swift
    /// let headers = HTTPHeaders([.init(name: .host, value: "example.com")])
    /// ```
    @inlinable public init(_ fields: [Field]) { self.fields = fields }

    /// Creates a header list from a literal, keeping its order: `[.contentType: "text/plain"]`.
    @inlinable public init(dictionaryLiteral elements: (Name, String)...) {
        fields = Self.spareFields(holding: elements.count)
        for (name, value) in elements { fields.append(Field(name: name, value: value)) }
    }

    /// Headers with the one field `name: value`, in the thread's spare storage as a literal's are:
    /// what the library's own responses start from (a literal builds an array of pairs first,
    /// then copies and destroys it).
    @inlinable package init(_ name: Name, _ value: String) {
        fields = Self.spareFields(holding: 1)
        fields.append(Field(name: name, value: value))
    }

    /// Empty field storage with room for `count` fields and the few that middleware typically add
    /// (timing, CORS, Vary) without regrowing: the array the thread's last response left behind
    /// when there is one.
    @inlinable static func spareFields(holding count: Int) -> [Field] {
        var fields = ThreadSpares.takeFields()
        fields.reserveCapacity(count + 4)
        return fields
    }

    /// The index of the first field.
    @inlinable public var startIndex: Int { fields.startIndex }
    /// One past the index of the last field.
    @inlinable public var endIndex: Int { fields.endIndex }
    /// The field at `position`.
    @inlinable public subscript(position: Int) -> Field {
        fields[position].isInHeadText ? fields[position].resolved(in: fields[0].text) : fields[position]
    }

    /// The value of the field at `index`, read where it is stored.
    @inlinable func value(at index: Int) -> String {
        fields[index].isInHeadText ? self[index].value : fields[index].value
    }

    /// The value of the field at `index` where it lies, read where it is stored.
    @inlinable func valueSlice(at index: Int) -> Substring {
        fields[index].isInHeadText ? self[index].valueSlice : fields[index].valueSlice
    }

    /// Headers are equal when they hold equal fields in the same order.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0 == $1 }
    }

    /// The value of the first field named `name`; setting replaces every such field with one (or removes them all for `nil`).
    ///
    /// ```swift
    /// headers[.contentType] = "text/plain"
    /// headers["X-Debug"] = nil
    /// ```
    @inlinable public subscript(name: Name) -> String? {
        get { firstIndex(of: name).map { value(at: $0) } }
        set { replaceValues(of: name, with: newValue) }
    }

    /// The value of the first field named `name` where it lies (a parsed value is not copied);
    /// setting replaces every such field with one (or removes them all for `nil`).
    ///
    /// ```swift
    /// let origin = request.headers[slice: .origin]              // no copy of the value
    /// response.headers[slice: .accessControlAllowOrigin] = origin // nor here
    /// ```
    @inlinable public subscript(slice name: Name) -> Substring? {
        get {
            guard let index = firstIndex(of: name) else { return nil }
            return valueSlice(at: index)
        }
        set { replaceValues(of: name, withSlice: newValue) }
    }

    /// Replaces every field named `name` with one of `value` (in the first one's place), or
    /// removes them all for `nil`. Not inlined: middleware set fields on every response, and a
    /// smaller caller stays inlined into its pipeline.
    @usableFromInline mutating func replaceValues(of name: Name, with value: String?) {
        guard let value else { return remove(name) }
        replace(name, with: Field(name: name, value: value))
    }

    /// `replaceValues(of:with:)` for a value that is a slice.
    @usableFromInline mutating func replaceValues(of name: Name, withSlice value: Substring?) {
        guard let value else { return remove(name) }
        replace(name, with: Field(name: name, valueSlice: value))
    }

    /// Replaces every field named `name` with `field`'s value in the first one's place (which
    /// keeps its name as written). Not optional: an optional field was destroyed through the
    /// generic `Optional` witness, about 80 instructions per call.
    @usableFromInline mutating func replace(_ name: Name, with field: consuming Field) {
        guard let index = firstIndex(of: name) else { return fields.append(field) }
        if index == 0 { giveFieldsTheirHeadText() }
        fields[index].text = field.text
        fields[index].bounds = field.bounds
        while let next = firstIndex(of: name, from: index + 1) { fields.remove(at: next) }
    }

    /// The index of the first field named `name` at or after `start`. Fields are read where they
    /// lie (iterating by value would retain and release each one's strings).
    @inlinable func firstIndex(of name: Name, from start: Int = 0) -> Int? {
        var index = start
        while index < fields.count {
            if fields[index].name.matches(name) { return index }
            index += 1
        }
        return nil
    }

    /// Every value of the fields named `name`, in order.
    ///
    /// ```swift
    /// headers.values(for: .vary) // ["Origin", "Accept-Encoding"]
    /// ```
    @inlinable public func values(for name: Name) -> [String] {
        var values: [String] = []
        var next = firstIndex(of: name)
        while let index = next {
            values.append(value(at: index))
            next = firstIndex(of: name, from: index + 1)
        }
        return values
    }

    /// The number of fields named `name`.
    @inlinable public func count(of name: Name) -> Int {
        var count = 0
        var next = firstIndex(of: name)
        while let index = next {
            count += 1
            next = firstIndex(of: name, from: index + 1)
        }
        return count
    }

    /// Whether any field is named `name`.
    ///
    /// ```swift
    /// if request.headers.contains(.authorization) { … }
    /// ```
    @inlinable public func contains(_ name: Name) -> Bool { firstIndex(of: name) != nil }

    /// The value of the one field named `name`; `nil` when there is none or more than one.
    ///
    /// ```swift
    /// request.headers.single(.origin) // "https://example.com"
    /// ```
    @inlinable public func single(_ name: Name) -> String? { singleIndex(of: name).map { value(at: $0) } }

    /// The value of the one field named `name` where it lies (a parsed value is not copied); `nil`
    /// when there is none or more than one.
    ///
    /// ```swift
    /// request.headers.singleSlice(.origin) // "https://example.com"
    /// ```
    @inlinable public func singleSlice(_ name: Name) -> Substring? { singleIndex(of: name).map { valueSlice(at: $0) } }

    /// The value of the one field named `name` where it lies; `nil` when there is none or more
    /// than one. Not inlined: CORS calls it on every request, and stays small enough to be
    /// inlined itself.
    @usableFromInline func singleSharedValue(_ name: Name) -> SharedValue? {
        guard let index = singleIndex(of: name) else { return nil }
        let bounds = fields[index].bounds
        // A value in the head text: that text (the first field's) and the value's offsets there.
        return fields[index].isInHeadText
            ? SharedValue(text: fields[0].text, bounds: bounds & ~Field.inHeadText) : fields[index].sharedValue
    }

    /// The index of the one field named `name`; `nil` when there is none or more than one.
    @inlinable func singleIndex(of name: Name) -> Int? {
        guard let index = firstIndex(of: name), firstIndex(of: name, from: index + 1) == nil else { return nil }
        return index
    }

    /// Appends a field, keeping any existing fields of that name.
    ///
    /// ```swift
    /// headers.append(.vary, "Origin")
    /// ```
    @inlinable public mutating func append(_ name: Name, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Appends a field, keeping any existing fields of that name.
    @inlinable public mutating func append(_ field: Field) { fields.append(field) }

    /// Removes every field named `name`.
    ///
    /// ```swift
    /// headers.remove(.contentLength)
    /// ```
    @inlinable public mutating func remove(_ name: Name) {
        // Looked for first: removing nothing from storage another copy shares (a request's
        // fields, which its connection keeps for the next request) would still copy it all.
        guard let first = firstIndex(of: name) else { return }
        if first == 0 { giveFieldsTheirHeadText() }
        fields.removeAll { $0.name.matches(name) }
    }

    /// Gives each field whose value lies in the head text (`Field.inHeadText`) that text as its
    /// own, before the first field, which holds it, is changed or removed. Nothing to give while
    /// the first field is itself only located (a parser's headers before it has made the text).
    @usableFromInline mutating func giveFieldsTheirHeadText() {
        guard let first = fields.first, !first.isInHeadText else { return }
        let headText = first.text
        for index in fields.indices.dropFirst() where fields[index].isInHeadText {
            fields[index] = fields[index].resolved(in: headText)
        }
    }

    /// Makes `text` the head text the values located there lie in (`Field.init(name:headTextRange:)`):
    /// a parser's, once its head is complete. The first field holds it: its value becomes the
    /// bytes `firstValue` of `text` (where the parser found it), unless it lies there already.
    @inlinable package mutating func adoptHeadText(_ text: String, firstValue: Range<Int>) {
        guard !fields.isEmpty else { return }
        fields[0].text = text
        fields[0].bounds = Field.bounds(fields[0].utf8Range ?? firstValue)
    }

    /// The bytes of the head text a parser located the value at `index` in, while that value has no
    /// text of its own (`nil` otherwise): `Field.init(name:headTextRange:)`.
    @inlinable package func headTextRange(at index: Int) -> Range<Int>? {
        fields[index].isInHeadText ? fields[index].utf8Range : nil
    }

    /// Sets the value of the field at `index` to `value`.
    @inlinable package mutating func setValue(at index: Int, _ value: String) {
        if index == 0 { giveFieldsTheirHeadText() }
        fields[index].value = value
    }

    /// Reserves room for `count` fields.
    @inlinable public mutating func reserveCapacity(_ count: Int) { fields.reserveCapacity(count) }

    /// Calls `body` with the fields in place (a server reads each without copying it; a value
    /// in the head text lies in the first field's text: `Field.withValueBytes(in:at:_:)`).
    @inlinable package func withFields<Result>(_ body: (UnsafeBufferPointer<Field>) throws -> Result) rethrows -> Result {
        try fields.withUnsafeBufferPointer(body)
    }

    /// Removes every field; with `keepingCapacity`, a server reuses the storage for the next
    /// request (no allocation once the previous request's copy is gone).
    @inlinable package mutating func removeAll(keepingCapacity: Bool) {
        if keepingCapacity { fields.removeAllKeepingStorage() } else { fields.removeAll() }
    }

    /// Empties the headers and keeps their storage for the next header literal made on this
    /// thread (`ThreadSpares`): a server calls it once a response is written.
    @usableFromInline package mutating func recycleStorage() { ThreadSpares.keep(&fields) }

    /// Whether a comma-separated list field (such as `Connection` or `Vary`) names `token`, ignoring case.
    ///
    /// ```swift
    /// request.headers.listContains(.connection, token: "close")
    /// ```
    public func listContains(_ name: Name, token: String) -> Bool {
        var next = firstIndex(of: name)
        while let index = next {
            if Self.list(valueSlice(at: index), containsIgnoringCase: token) { return true }
            next = firstIndex(of: name, from: index + 1)
        }
        return false
    }

    /// Whether a comma-separated list value names `token` (ASCII case-insensitive), without allocating.
    ///
    /// ```swift
    /// HTTPHeaders.list("keep-alive, Upgrade", containsIgnoringCase: "upgrade") // true
    /// ```
    public static func list(_ list: String, containsIgnoringCase token: String) -> Bool {
        self.list(Substring(wholeString: list), containsIgnoringCase: token)
    }

    /// Whether a comma-separated list value, where it lies, names `token` (ASCII case-insensitive).
    ///
    /// ```swift
    /// HTTPHeaders.list(field.valueSlice, containsIgnoringCase: "close")
    /// ```
    public static func list(_ list: Substring, containsIgnoringCase token: String) -> Bool {
        list.withContiguousUTF8 { list in
            token.withContiguousUTF8 { HTTPSyntax.list(list, containsIgnoringCase: $0) }
        }
    }

    /// Calls `body` with each trimmed, non-empty element of a comma-separated list, as UTF-8 bytes
    /// where they lie.
    static func forEachListElement(_ list: Substring, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        list.withContiguousUTF8 { bytes in
            HTTPSyntax.forEachListElement(bytes) { element in
                body(element)
                return true
            }
        }
    }

    /// Whether `value` may be sent as a field value as is: visible ASCII, spaces, tabs and
    /// obs-text bytes, no CR, LF, NUL or other control byte (RFC 9110 §5.5).
    ///
    /// ```swift
    /// HTTPHeaders.isValidFieldValue("a\r\nb") // false
    /// ```
    public static func isValidFieldValue(_ value: String) -> Bool {
        value.utf8.allSatisfy(HTTPSyntax.isFieldValueChar)
    }

    /// One `Name: value` line per field.
    public var description: String { map { "\($0.name.rawName): \($0.value)" }.joined(separator: "\n") }
}

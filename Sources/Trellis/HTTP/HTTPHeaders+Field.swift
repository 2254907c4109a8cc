extension HTTPHeaders {
    /// One header field: a name and its value, in the order it was received or added.
    ///
    /// A value the server parsed lies in the text of the whole request head, shared by the head's
    /// long values (no string is made per field until `value` asks for one); a value set from a
    /// `String` is that string. A parsed field kept beyond its request keeps that text alive (at
    /// most `ServerConfiguration.Limits.maxHeaderBytes`): keep `field.value` instead to keep only
    /// the value.
    ///
    /// ```swift
    /// for field in request.headers { print(field.name, field.value) }
    /// ```
    public struct Field: Hashable, Sendable {
        /// The field name.
        public var name: Name
        /// The text the value lies in: the value itself, or a larger text it is a part of. Empty
        /// for a value that lies in its headers' head text (`bounds` says so): see `inHeadText`.
        @usableFromInline package var text: String
        /// Where in `text` the value lies, as UTF-8 offsets (`start << 32 | end`, `start` below
        /// 2³¹), or `Self.whole`; with `Self.inHeadText` set, the offsets are in the head text of
        /// the headers that hold the field instead (the text of their first field).
        @usableFromInline package var bounds: UInt64

        /// `bounds` for a value that is all of `text`.
        @usableFromInline static var whole: UInt64 { .max }

        /// The bit of `bounds` that places the value in the head text of the `HTTPHeaders` that
        /// hold the field (their first field's text), not in `text`: a parsed request's values
        /// share that one text without each counting a reference to it. Such a field never
        /// leaves its headers as it is stored: reading it (`HTTPHeaders.subscript(_:)`, the
        /// lookups by name) gives it the head text as its `text`.
        @usableFromInline static var inHeadText: UInt64 { 1 << 63 }

        /// `bounds` for the UTF-8 offsets `range` of `text`.
        @inlinable package static func bounds(_ range: Range<Int>) -> UInt64 {
            UInt64(range.lowerBound) << 32 | UInt64(range.upperBound)
        }

        /// The UTF-8 offsets `bounds` stands for (in `text`, or in the head text); `nil` for `whole`.
        @inlinable static func range(_ bounds: UInt64) -> Range<Int>? {
            bounds == whole ? nil : Int(truncatingIfNeeded: bounds >> 32 & 0x7FFF_FFFF)..<Int(truncatingIfNeeded: bounds & 0xFFFF_FFFF)
        }

        /// The value's bytes as a short ASCII string's two words and count
        /// (`SmallASCIIString.words(of:)`), when it is all of its text and that text is one; nil
        /// otherwise. A server writes such a value from its words.
        @inlinable package var smallValueWords: (low: UInt64, high: UInt64, count: Int)? {
            bounds == Self.whole ? SmallASCIIString.words(of: text) : nil
        }

        /// Whether the value lies in its headers' head text (see `inHeadText`).
        @inlinable package var isInHeadText: Bool { bounds != Self.whole && bounds & Self.inHeadText != 0 }

        /// The field as it reads outside its headers: a value in the head text gets that text.
        @inlinable func resolved(in headText: String) -> Field {
            guard isInHeadText else { return self }
            var field = self
            field.text = headText
            field.bounds = bounds & ~Self.inHeadText
            return field
        }

        /// Creates a field.
        ///
        /// ```swift
        /// let field = HTTPHeaders.Field(name: .contentType, value: "text/plain")
        /// ```
        @inlinable public init(name: Name, value: String) {
            self.name = name
            self.text = value
            self.bounds = Self.whole
        }

        /// Creates a field whose value is a slice of a larger text, which it shares (no copy).
        ///
        /// ```swift
        /// let field = HTTPHeaders.Field(name: .origin, valueSlice: request.headers[slice: .origin] ?? "null")
        /// ```
        public init(name: Name, valueSlice: Substring) {
            self.name = name
            (text, bounds) = Self.storage(of: valueSlice)
        }

        /// A field whose value is the bytes `range` of the head text of the headers it is
        /// appended to (`HTTPHeaders.adoptHeadText(_:firstValue:)`), which a parser may make once
        /// the head is complete. Inlined into the parser, which makes one per such value.
        @inlinable package init(name: Name, headTextRange range: Range<Int>) {
            self.name = name
            self.text = ""
            self.bounds = Self.bounds(range) | Self.inHeadText
        }

        /// The field value, without leading or trailing whitespace (a parsed value is copied out
        /// of the head's text the first time it is read this way; `valueSlice` does not copy).
        ///
        /// ```swift
        /// field.value // "text/plain"
        /// ```
        public var value: String {
            get { bounds == Self.whole ? text : String(valueSlice) }
            set { (text, bounds) = (newValue, Self.whole) }
        }

        /// The field value where it lies, without copying it out of the request head's text.
        ///
        /// ```swift
        /// let isJSON = field.valueSlice.hasPrefix("application/json")
        /// ```
        public var valueSlice: Substring {
            get {
                guard let range = utf8Range else { return Substring(wholeString: text) }
                let utf8 = text.utf8
                let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
                return text[start..<utf8.index(start, offsetBy: range.count)]
            }
            set { (text, bounds) = Self.storage(of: newValue) }
        }

        /// Calls `body` with the value's UTF-8 bytes where they lie (no index arithmetic, only
        /// offsets). Not for a field read where its headers store it: see `withValueBytes(in:at:_:)`.
        @inlinable package func withValueBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
            try Self.withBytes(of: text, bounds, body)
        }

        /// Calls `body` with the UTF-8 bytes of the value of `fields[index]` where they lie, for
        /// fields read where their headers store them (`HTTPHeaders.withFields`): a value in the
        /// head text lies in the first field's text. A server writes every field of every
        /// response through here.
        @inlinable @inline(__always) package static func withValueBytes<Result>(
            in fields: UnsafeBufferPointer<Field>,
            at index: Int,
            _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
        ) rethrows -> Result {
            if fields[index].isInHeadText { return try withBytes(of: fields[0].text, fields[index].bounds & ~inHeadText, body) }
            return try withBytes(of: fields[index].text, fields[index].bounds, body)
        }

        /// Calls `body` with the bytes `bounds` of `text` (`withValueBytes` on a field's parts, for
        /// a caller that reads them where they lie without copying the whole field).
        @inlinable package static func withBytes<Result>(
            of text: String,
            _ bounds: UInt64,
            _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
        ) rethrows -> Result {
            try text.withContiguousUTF8 { bytes in
                guard let valueRange = range(bounds) else { return try body(bytes) }
                return try body(UnsafeBufferPointer(rebasing: bytes[valueRange]))
            }
        }

        /// Where in its text the value lies, as UTF-8 offsets; `nil` when it is all of its text.
        @inlinable package var utf8Range: Range<Int>? {
            Self.range(bounds)
        }

        /// A field named `name` with the value of `shared` (sharing its text: no copy).
        @usableFromInline init(name: Name, sharing shared: SharedValue) {
            self.name = name
            self.text = shared.text
            self.bounds = shared.bounds
        }

        /// The value where it lies, without the name.
        @usableFromInline var sharedValue: SharedValue { SharedValue(text: text, bounds: bounds) }

        /// The number of UTF-8 bytes in the value.
        @inlinable package var valueUTF8Count: Int {
            utf8Range?.count ?? text.utf8.count
        }

        /// The text and bounds that hold `slice`: its base string and its offsets there (a whole
        /// string is stored as itself).
        static func storage(of slice: Substring) -> (String, UInt64) {
            let base = slice.base.utf8
            if slice.startIndex == base.startIndex && slice.endIndex == base.endIndex { return (slice.base, whole) }
            let offsets = slice.utf8OffsetsInBase
            guard offsets.upperBound <= Int(Int32.max) else { return (String(slice), whole) }
            return (slice.base, bounds(offsets))
        }

        /// Fields are equal when their names match and their values have the same bytes.
        public static func == (lhs: Field, rhs: Field) -> Bool {
            lhs.name == rhs.name && lhs.withValueBytes { left in rhs.withValueBytes { HTTPSyntax.bytesEqual(left, $0) } }
        }

        /// Hashes the name (ignoring case) and the value's bytes.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            withValueBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}

extension HTTPHeaders {
    /// A field's value where it lies (the text it is part of, and where in it), without its name:
    /// what CORS compares with its allowed origins and reflects into a response, neither copying
    /// the value out of the request head nor the name's strings.
    @usableFromInline struct SharedValue {
        @usableFromInline let text: String
        @usableFromInline let bounds: UInt64

        @usableFromInline init(text: String, bounds: UInt64) {
            self.text = text
            self.bounds = bounds
        }

        /// Whether the value's bytes are those of `string`.
        @usableFromInline func equals(_ string: String) -> Bool {
            Field.withBytes(of: text, bounds) { value in string.withContiguousUTF8 { HTTPSyntax.bytesEqual($0, value) } }
        }

        /// Whether the value's bytes are those of one of `strings`: the value is found where it
        /// lies once, and only a string of its length is compared.
        @usableFromInline func equalsAny(of strings: [String]) -> Bool {
            Field.withBytes(of: text, bounds) { value in
                strings.contains { string in
                    string.utf8.count == value.count && string.withContiguousUTF8 { HTTPSyntax.bytesEqual($0, value) }
                }
            }
        }

        /// The value as a string of its own.
        @usableFromInline var string: String { Field(name: "", sharing: self).value }
    }
}

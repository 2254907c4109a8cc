extension Response {
    /// What a `304 Not Modified` or a `206 Partial Content` stands for: the type and length of the
    /// whole representation a `200` would have carried. A middleware above the one that answered
    /// (`GZip`) decides from it as it would for that `200`, so the 304 repeats the 200's `Vary` and
    /// `ETag` (RFC 9110 §15.4.5) and the 206 its `Vary` (§15.3.7), without sending representation
    /// fields on a 304.
    package struct Representation: Sendable, Equatable {
        /// The `Content-Type` of the full representation.
        package var contentType: String?
        /// Its length in bytes.
        package var length: Int?

        package init(contentType: String?, length: Int?) {
            self.contentType = contentType
            self.length = length
        }
    }

    /// The representation a 304 or 206 stands for (set by whoever made it; `nil` otherwise).
    package var representation: Representation? {
        get { failure?.representation }
        set { failure = ErrorBox(error: failure?.error, representation: newValue) }
    }
}

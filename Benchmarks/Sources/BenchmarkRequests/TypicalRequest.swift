/// Requests the benchmarks share.
public enum BenchmarkRequests {
    /// A browser-like `GET` of 397 bytes with 8 header fields: the parser rows of the package
    /// benchmark (`PipelineBenchmarks`) and of `trellis-micro` parse these same bytes.
    public static let typical: [UInt8] = Array(
        (
            "GET /items/42?q=search+terms&page=2 HTTP/1.1\r\n"
                + "Host: api.example.com\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0\r\n"
                + "Accept: application/json, text/plain, */*\r\n"
                + "Accept-Language: en-US,en;q=0.9\r\n"
                + "Accept-Encoding: gzip, deflate, br\r\n"
                + "Origin: https://example.com\r\n"
                + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig\r\n"
                + "Connection: keep-alive\r\n\r\n"
        ).utf8
    )
}

import Foundation
import Trellis

/// A 1 KiB JSON order, for the body-decoding rows.
struct BenchOrder: Decodable, Sendable {
    struct Line: Decodable, Sendable {
        let sku: String
        let name: String
        let quantity: Int
        let price: Double
    }
    let id: Int
    let customer: String
    let email: String
    let paid: Bool
    let lines: [Line]
    let note: String?
}

extension Fixtures {
    /// About 1 KiB of JSON that decodes into `BenchOrder`.
    static let orderJSON: [UInt8] = {
        let lines = (0..<8).map { index in
            #"{"sku":"SKU-\#(1000 + index)","name":"Item number \#(index) with a name","quantity":\#(index + 1),"price":\#(Double(index) * 3.25 + 0.99)}"#
        }
        let text = #"{"id":421337,"customer":"Ada Lovelace","email":"ada@example.com","paid":true,"lines":["#
            + lines.joined(separator: ",") + #"],"note":"Leave the parcel with the neighbour if nobody answers the door, thanks."}"#
        return Array(text.utf8)
    }()

    static let orderRequest = Request(
        method: .post, target: "/orders", headers: [.host: "localhost", .contentType: "application/json"], body: orderJSON
    )
}

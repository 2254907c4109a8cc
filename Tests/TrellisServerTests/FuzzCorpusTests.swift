import Foundation
import Testing
import TrellisFuzzing

/// Replays every committed fuzz input — the seeds and each finding's regression — through its
/// target's invariant, so a fixed finding stays fixed without a fuzzer (`Scripts/fuzz.sh` fuzzes).
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    @Test(arguments: FuzzTarget.allCases)
    func committedInputsKeepTheirInvariant(_ target: FuzzTarget) throws {
        let directory = Self.corpus.appendingPathComponent(target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(!files.isEmpty, "no seeds for \(target.rawValue)")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(file)))
            #expect(target.check(bytes) == nil, "\(target.rawValue)/\(file)")
        }
    }
}

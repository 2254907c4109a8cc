// Built two ways:
//   swift build -c release --product trellis-fuzz --sanitize=fuzzer --sanitize=address -Xswiftc -DTRELLIS_FUZZING
//     libFuzzer's entry point: TRELLIS_FUZZ_TARGET=<target> .build/release/trellis-fuzz CORPUS_DIR -max_total_time=60
//     (Scripts/fuzz.sh does it for every target).
//   swift run trellis-fuzz <target> FILE_OR_DIRECTORY...
//     replays inputs (a finding, a corpus) through a target and prints what it finds.
import Foundation
import TrellisFuzzing

#if TRELLIS_FUZZING
/// The target this process fuzzes, from `TRELLIS_FUZZ_TARGET`.
let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["TRELLIS_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("set TRELLIS_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
        exit(2)
    }
    return target
}()

/// libFuzzer calls this with each input; a violated invariant aborts, which libFuzzer records as
/// a finding (the input is saved as `crash-…`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let problem = selectedTarget.check(UnsafeBufferPointer(start: data, count: size)) {
        FileHandle.standardError.write(Data("trellis-fuzz \(selectedTarget.rawValue): \(problem)\n".utf8))
        abort()
    }
    return 0
}
#else
/// Replays files (or every file of directories) through one target.
@main enum ReplayInputs {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: trellis-fuzz <\(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|"))> FILE_OR_DIRECTORY...")
            exit(2)
        }
        var failures = 0
        var count = 0
        for path in arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                count += 1
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
                if let problem = target.check(bytes) {
                    failures += 1
                    print("\(file): \(problem)")
                }
            }
        }
        print("\(count - failures) passed, \(failures) failed")
        exit(failures == 0 ? 0 : 1)
    }
}
#endif

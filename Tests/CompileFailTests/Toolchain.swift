import Foundation

/// Finds the built `Trellis` module and type-checks Swift files against it, as a user's module would.
enum Toolchain {
    struct Result {
        let status: Int32
        let output: String
    }

    /// The `Modules` folder of the build that produced this test binary.
    static func modulesDirectory() throws -> URL {
        var directory = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("Modules")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("Trellis.swiftmodule").path) {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        throw ToolchainError.moduleNotFound
    }

    /// The folder holding this file (and `Fixtures/`).
    static var testsDirectory: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent() }

    /// The module map of the system zlib that `TrellisMiddleware` imports (SwiftPM passes it to a
    /// user's module; a bare `swiftc` needs it named for fixtures that import the catalog).
    static var zlibModuleDirectory: URL {
        testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/CZlib")
    }

    /// The module map of the core's own C module (its per-thread pointers), which SwiftPM passes
    /// to a user's module with `Trellis`; a bare `swiftc` needs it named.
    static var threadLocalModuleDirectory: URL {
        testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/CTrellisThreadLocal/include")
    }

    /// Runs `swiftc -typecheck` on `file` against the built modules (and the core's own C module).
    /// Only a file that imports the catalog gets zlib's module map: one that imports only
    /// `Trellis` proves the core needs no system library.
    static func typecheck(_ file: URL, extraArguments: [String] = []) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let importsCatalog = try String(contentsOf: file, encoding: .utf8).contains("import TrellisMiddleware")
        process.arguments = ["swiftc", "-typecheck", "-swift-version", "6", "-I", try modulesDirectory().path]
            + ["-I", threadLocalModuleDirectory.path]
            + (importsCatalog ? ["-I", zlibModuleDirectory.path] : []) + extraArguments + [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

enum ToolchainError: Error {
    case moduleNotFound
}

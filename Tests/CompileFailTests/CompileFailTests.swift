import Foundation
import Testing

/// Each fixture under `Fixtures/` states on its first line what must happen when a user's module
/// contains it: `// expected-error: <text>` (type-checking fails and the diagnostics contain the
/// text) or `// expected: success`.
struct CompileFailTests {
    static let fixtures: [String] = {
        let directory = Toolchain.testsDirectory.appendingPathComponent("Fixtures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".swift") }.sorted()
    }()

    @Test func thereAreEnoughFixtures() {
        #expect(Self.fixtures.count >= 25)
    }

    @Test(arguments: fixtures)
    func fixtureBehavesAsStated(_ name: String) throws {
        let file = Toolchain.testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name)
        let firstLine = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        let result = try Toolchain.typecheck(file)
        if firstLine == "// expected: success" {
            #expect(result.status == 0, "\(name) should compile:\n\(result.output)")
        } else {
            let prefix = "// expected-error: "
            try #require(firstLine.hasPrefix(prefix), "\(name) must start with '\(prefix)'")
            let expected = String(firstLine.dropFirst(prefix.count))
            #expect(result.status != 0, "\(name) compiled but must not")
            #expect(result.output.contains("error:"), "\(name): no error printed")
            #expect(result.output.contains(expected), "\(name): expected '\(expected)' in:\n\(result.output)")
        }
    }
}

import Foundation
import Testing
@testable import sparse_bench

/// Options for a sweep that runs in a blink in a debug build: tiny matrices, one timed call, a 1 MiB triad.
let tinyTiming = ["--min-time", "0", "--min-reps", "1", "--warmup", "0", "--triad-mib", "1", "--quiet"]

/// Runs the sweep in-process and returns its report.
func runSweep(_ arguments: [String]) throws -> BenchReport {
    try SweepCommand.parse(arguments + tinyTiming).makeReport()
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sparse-bench-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A symmetric 5×5 MatrixMarket file with 7 entries in the file, 10 after expansion, one of them an explicit
/// zero (entry (3, 3)). In 0-based (row, column): (0,0)=4, (1,0)=(0,1)=-1, (2,2)=0, (3,1)=(1,3)=2.5, (4,4)=1,
/// (4,0)=(0,4)=3, (3,3)=-2.
let fixtureText = """
    %%MatrixMarket matrix coordinate real symmetric
    % a small test matrix
    5 5 7
    1 1 4.0
    2 1 -1.0
    3 3 0.0
    4 2 2.5
    5 5 1.0
    5 1 3.0
    4 4 -2.0

    """

/// Writes `text` to `name` in a new temporary directory and returns the path.
func writeFile(_ name: String, _ text: String) throws -> String {
    let url = try temporaryDirectory().appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Parses RFC 4180 CSV (quoted fields with doubled quotes) into rows of fields.
func parseCSV(_ text: String) -> [[String]] {
    var rows = [[String]](), row = [String](), field = ""
    var quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else {
                field.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\n" {
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

/// The `sparse-bench` executable `swift build` put next to the test bundle.
func builtBinary() throws -> URL {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("sparse-bench") }
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                        "sparse-bench not found next to \(dir.path)")
}

/// Runs the built binary; returns its exit status, stdout and stderr.
func runBinary(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = try builtBinary()
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

import Foundation

/// Progress lines on stderr (stdout carries only the report), silenced by `--quiet`.
struct Progress: Sendable {
    var enabled: Bool

    func callAsFunction(_ line: @autoclosure () -> String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data((line() + "\n").utf8))
    }
}

/// Writes a line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

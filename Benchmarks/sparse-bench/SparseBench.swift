import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `sparse-bench` command: memory and throughput of every storage format across sparsity levels.
@main
struct SparseBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparse-bench",
        abstract: "Memory and throughput of every sparse format across sparsity levels, against dense BLAS.",
        discussion: """
            Examples:
              sparse-bench                              the default sweep (n = 4096, 0.1% to 50%)
              sparse-bench --matrix my.mtx              the same rows for your matrix
              sparse-bench inspect my.mtx               header, entries and footprints, no timing
              sparse-bench kernels                      the kernels side by side, against the bandwidth
              sparse-bench help sweep                   every option of the sweep
            """,
        subcommands: [SweepCommand.self, InspectCommand.self, ReadCommand.self, KernelsCommand.self],
        defaultSubcommand: SweepCommand.self
    )

    /// Like ArgumentParser's `main()`, but an error is one line on stderr (`Error: …`), without the usage
    /// screen, and the exit status is non-zero. Help and clean exits print to stdout as usual.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                terminate(0)
            }
            printError(errorLine(for: error))
            let code = exitCode(for: error).rawValue
            terminate(code == 0 ? 1 : code)
        }
    }

    /// The one-line message for an error: `Error: ` and ArgumentParser's brief message with its line breaks
    /// folded, plus a pointer to `--help` for usage errors.
    static func errorLine(for error: Error) -> String {
        let lines = message(for: error).split(whereSeparator: \.isNewline)
            .map { $0.drop { $0 == " " } }
            .filter { !$0.isEmpty }
        var text = lines.joined(separator: "; ")
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        let usage = exitCode(for: error) == .validationFailure
        return "Error: " + text + (usage ? " (see 'sparse-bench --help')" : "")
    }
}

/// Ends the process (a free function, so `exit` is the C library's and not ParsableCommand's).
private func terminate(_ code: Int32) -> Never { exit(code) }

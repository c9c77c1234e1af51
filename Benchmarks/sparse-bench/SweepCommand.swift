import ArgumentParser
import SwiftSparse

/// The default subcommand: the sweep over densities and formats. (Filled in by the benchmark work.)
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Bytes and SpMV/SpMM throughput of each format at each density (the default command)."
    )

    func run() throws {
        print("sweep: not yet implemented")
    }
}

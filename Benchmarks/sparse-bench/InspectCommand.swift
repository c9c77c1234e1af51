import ArgumentParser
import SwiftSparse

/// `sparse-bench inspect FILE.mtx`: header, shape, entries and footprints, without timing.
/// (Filled in by the benchmark work.)
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a MatrixMarket file and its footprint in every format, without timing."
    )

    @Argument(help: "The MatrixMarket file.")
    var file: String

    func run() throws {
        print("inspect: not yet implemented")
    }
}

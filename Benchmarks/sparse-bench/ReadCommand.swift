import ArgumentParser
import SwiftSparse

/// `sparse-bench read FILE.mtx`: MatrixMarket read throughput. (Filled in by the MatrixMarket work.)
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Time reading a MatrixMarket file (MB/s)."
    )

    @Argument(help: "The MatrixMarket file.")
    var file: String

    func run() throws {
        print("read: not yet implemented")
    }
}

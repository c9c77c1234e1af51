import ArgumentParser
import SwiftSparse

/// `sparse-bench inspect FILE.mtx`: header, shape, entries and footprints, without timing.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a MatrixMarket file and its footprint in every format, without timing.",
        discussion: """
            Prints the file's header (format, field, symmetry), its shape, the entries stored after symmetric \
            expansion (duplicates summed), how many of them are explicit zeros, and the bytes each format would \
            hold with 32- and 64-bit indices, with the fill each BSR block size would need (counted without \
            building the blocks). A file that cannot be read gives the reader's error and a non-zero exit.

            Examples:
              sparse-bench inspect my.mtx
              sparse-bench inspect my.mtx --format json --block-sizes 2,3,6
            """
    )

    @Argument(help: ArgumentHelp("The MatrixMarket file.", discussion: "Example: matrices/bcsstk01.mtx."))
    var file: String

    @Option(help: ArgumentHelp("Output: table or json.", discussion: "Example: --format json."))
    var format: TableOrJSON = .table

    @Option(help: ArgumentHelp(
        "BSR block sizes whose fill to report (b for b×b), comma-separated.",
        discussion: "Example: --block-sizes 2,3,6. Each must be in 1...64.",
        valueName: "list"))
    var blockSizes = CommaSeparated([2, 4, 8])

    @Option(help: ArgumentHelp(
        "Stored scalar the footprints assume: half, float or double.",
        discussion: "Example: --precision float."))
    var precision: Precision = .double

    mutating func validate() throws {
        for b in blockSizes.values where !(1...64).contains(b) {
            throw ValidationError("--block-sizes: \(b) is outside 1...64")
        }
        blockSizes.values = blockSizes.values.uniqued()
    }

    func run() throws {
        let report = try inspect()
        print(format == .json ? report.renderedJSON() : report.renderedTable(), terminator: "")
    }

    /// Reads the file and computes the report.
    func inspect() throws -> Inspection {
        let threads = KernelConfiguration.availableCores
        switch precision {
        case .double:
            return try Inspection.inspect(path: file, blockSizes: blockSizes.values, scalar: Double.self, threads: threads)
        case .float:
            return try Inspection.inspect(path: file, blockSizes: blockSizes.values, scalar: Float.self, threads: threads)
        case .half:
            return try Inspection.inspect(path: file, blockSizes: blockSizes.values, scalar: Float16.self, threads: threads)
        }
    }
}

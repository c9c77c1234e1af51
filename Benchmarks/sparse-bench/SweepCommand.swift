import ArgumentParser
import Foundation
import SwiftSparse

/// The default subcommand: bytes and SpMV/SpMM throughput of each format at each density, against dense BLAS.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Bytes and SpMV/SpMM throughput of each format at each density (the default command).",
        discussion: """
            For each matrix (generated at each --densities value, or each --matrix file) and each format, the \
            bench reports the bytes the format holds, its ratio to dense, and the throughput of y = A·x (SpMV) \
            and Y = A·X with k right-hand sides (SpMM), against OpenBLAS's dense gemv/gemm on the same matrix. \
            Every product is verified once against a reference product before it is timed; a wrong one is \
            reported as wrong and not timed. The machine's memory bandwidth (a triad) is measured first and \
            each row shows its share of it. Then the crossovers: the density where sparse stops winning on \
            memory and on time.

            GFLOP/s count 2 flops per stored non-zero of the original matrix (times k), never fill zeros. \
            Effective GB/s count the bytes held plus x read and y written once: a lower bound on the traffic.

            Examples:
              sparse-bench
              sparse-bench --size 8192 --densities 0.01,0.1 --formats csr,bsr --block-sizes 4
              sparse-bench --pattern blocks --block-sizes 4,2 --precision float --threads 1
              sparse-bench --matrix a.mtx --matrix b.mtx --format json > results.json
              sparse-bench --format csv --plot sweep.svg > results.csv
              sparse-bench --prune magnitude,block,nm --precision half --block-sizes 4
            """
    )

    @OptionGroup var options: SweepOptions

    func run() throws {
        if let path = options.plot {
            // Before measuring: the plot's file must open for writing (created if missing, not truncated yet).
            let fd = open(path, O_WRONLY | O_CREAT, 0o644)
            guard fd >= 0 else {
                throw BenchError("cannot write the plot to \(path): \(String(cString: strerror(errno)))")
            }
            close(fd)
        }
        let report = try makeReport()
        if let path = options.plot {
            do {
                // Not atomically: an atomic write would replace a symbolic link or a device with a regular file.
                try SVGPlot.render(report).write(toFile: path, atomically: false, encoding: .utf8)
                Progress(enabled: !options.quiet)("plot written to \(path)")
            } catch {
                throw BenchError("cannot write the plot to \(path): \(error.localizedDescription)")
            }
        }
        print(Self.render(report, as: options.format), terminator: "")
    }

    /// Runs the sweep with the scalar and index type the options ask for.
    func makeReport() throws -> BenchReport {
        let progress = Progress(enabled: !options.quiet)
        switch (options.precision, options.index) {
        case (.double, .bits32): return try SweepRunner<Double, Int32>(options: options, progress: progress).run()
        case (.double, .bits64): return try SweepRunner<Double, Int64>(options: options, progress: progress).run()
        case (.float, .bits32): return try SweepRunner<Float, Int32>(options: options, progress: progress).run()
        case (.float, .bits64): return try SweepRunner<Float, Int64>(options: options, progress: progress).run()
        case (.half, .bits32): return try SweepRunner<Float16, Int32>(options: options, progress: progress).run()
        case (.half, .bits64): return try SweepRunner<Float16, Int64>(options: options, progress: progress).run()
        }
    }

    static func render(_ report: BenchReport, as format: OutputFormat) -> String {
        switch format {
        case .table: return ReportTable.render(report)
        case .json: return ReportJSON.render(report)
        case .csv: return ReportCSV.render(report)
        }
    }
}

/// An error of the bench itself (not of parsing): printed as one line.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

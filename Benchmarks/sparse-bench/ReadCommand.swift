import ArgumentParser
import Foundation
import SwiftSparse

/// `sparse-bench read FILE.mtx`: MatrixMarket read throughput.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Time reading a MatrixMarket file (MB/s).",
        discussion: """
            Reads FILE with MatrixMarket.read once to warm the page cache, then REPETITIONS more times, and \
            prints the throughput (file bytes / wall time) as median, min and max MB/s. A read includes \
            mapping the file, parsing every entry, and for symmetric files the expansion to full storage. \
            Compare with `python3 Benchmarks/mtx_read_bench.py`, which runs this and scipy.io.mmread side by side.
            """
    )

    enum Scalar: String, ExpressibleByArgument, CaseIterable {
        case float64, float32
    }

    enum Index: String, ExpressibleByArgument, CaseIterable {
        case int32, int64
    }

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case coo, csr
    }

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The MatrixMarket file.")
    var file: String

    @Option(name: .long, help: ArgumentHelp(
        "Threads that parse the file.",
        discussion: "Defaults to every online core. Coordinate files are split at line boundaries; array files are read on one thread."))
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Timed reads after one warm-up read.", discussion: "At least 1."))
    var repetitions: Int = 7

    @Option(name: .long, help: ArgumentHelp("The scalar the values are read into.", discussion: "float64 (Double) or float32 (Float)."))
    var scalar: Scalar = .float64

    @Option(name: .long, help: ArgumentHelp("The index type.", discussion: "int32 (the default) or int64."))
    var index: Index = .int32

    @Option(name: .long, help: ArgumentHelp(
        "The format read into.",
        discussion: "coo is the reader itself; csr adds the conversion (sorting and summing duplicates)."))
    var into: Target = .coo

    @Option(name: .long, help: ArgumentHelp("Output format.", discussion: "text (a line) or json (an object)."))
    var format: OutputFormat = .text

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let bytes = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
        var header: MatrixMarketHeader? = nil
        var stored = 0
        func once() throws {
            switch (scalar, index, into) {
            case (.float64, .int32, .coo): try record(MatrixMarket.read(path: file, scalar: Double.self, index: Int32.self, threads: threads))
            case (.float64, .int64, .coo): try record(MatrixMarket.read(path: file, scalar: Double.self, index: Int64.self, threads: threads))
            case (.float32, .int32, .coo): try record(MatrixMarket.read(path: file, scalar: Float.self, index: Int32.self, threads: threads))
            case (.float32, .int64, .coo): try record(MatrixMarket.read(path: file, scalar: Float.self, index: Int64.self, threads: threads))
            case (.float64, .int32, .csr): try record(MatrixMarket.read(path: file, as: CSRMatrix<Double, Int32>.self, threads: threads))
            case (.float64, .int64, .csr): try record(MatrixMarket.read(path: file, as: CSRMatrix<Double, Int64>.self, threads: threads))
            case (.float32, .int32, .csr): try record(MatrixMarket.read(path: file, as: CSRMatrix<Float, Int32>.self, threads: threads))
            case (.float32, .int64, .csr): try record(MatrixMarket.read(path: file, as: CSRMatrix<Float, Int64>.self, threads: threads))
            }
        }
        var checksum: UInt64 = 0
        var wantChecksum = true
        func record<M: MatrixStorage>(_ result: (header: MatrixMarketHeader, matrix: M)) {
            header = result.header
            stored = result.matrix.storedCount
            guard wantChecksum else { return }
            // Σ bits(value_k) · (2k + 1) mod 2^64 over the stored values in storage order, as Float64: lets a
            // script check the values bit for bit against another reader.
            var sum: UInt64 = 0, k: UInt64 = 0
            result.matrix.forEachStoredEntry { _, _, v in
                sum &+= Double(v).bitPattern &* (2 &* k &+ 1)
                k &+= 1
            }
            checksum = sum
        }
        try once()   // warm-up, and the checksum (outside the timed reads)
        wantChecksum = false
        var seconds = [Double]()
        let clock = ContinuousClock()
        for _ in 0..<repetitions {
            let elapsed = try clock.measure { try once() }
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        seconds.sort()
        let megabytes = Double(bytes) / 1e6
        let median = megabytes / seconds[seconds.count / 2]
        let minimum = megabytes / seconds[seconds.count - 1], maximum = megabytes / seconds[0]
        let threadCount = threads ?? MatrixMarket.defaultThreads
        switch format {
        case .json:
            let object: [String: Any] = [
                "file": file, "file_MB": megabytes, "threads": threadCount, "scalar": scalar.rawValue,
                "index": index.rawValue, "into": into.rawValue, "entries_declared": header?.entries ?? 0,
                "stored": stored, "repetitions": repetitions, "median_MBps": median, "min_MBps": minimum,
                "max_MBps": maximum, "median_seconds": seconds[seconds.count / 2],
                "value_checksum": String(checksum),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        case .text:
            print("\(file): \(String(format: "%.1f", megabytes)) MB, \(header.map { "\($0.entries)" } ?? "?") entries "
                + "declared, \(stored) stored; \(threadCount) thread\(threadCount == 1 ? "" : "s"), \(scalar.rawValue), "
                + "\(index.rawValue), into \(into.rawValue)")
            print(String(format: "read MB/s: median %.0f  min %.0f  max %.0f  (%d runs, median %.1f ms)",
                         median, minimum, maximum, repetitions, seconds[seconds.count / 2] * 1e3))
        }
    }
}

import SwiftSparse

/// Runs the sweep for one scalar and one index type: the triad, then every matrix (generated, read, or pruned
/// from a dense one), each format verified once against ``ReferenceProduct`` and then timed, dense BLAS as the
/// baseline.
///
/// `S` is the stored scalar; vectors, blocks and the dense baseline are in its arithmetic type `A` (the same
/// type for Float and Double; Float for Float16 storage, whose dense baseline is then OpenBLAS in Float).
struct SweepRunner<S: SparseScalar, I: SparseIndex> {
    typealias A = S.Arithmetic

    let options: SweepOptions
    let progress: Progress

    var threads: Int { options.resolvedThreads }
    var configuration: KernelConfiguration { KernelConfiguration(threads: threads) }
    var policy: TimingPolicy { options.timingPolicy }
    /// --max-matrix-mib in bytes (validated to be at most the machine's memory, so the shift cannot wrap).
    var maxBytes: Int { options.maxMatrixMiB << 20 }

    func run() throws -> BenchReport {
        let triadBytes = options.triadMiB.map { $0 << 20 } ?? TriadBandwidth.defaultArrayBytes
        progress("triad: 3 arrays of \(Format.bytes(triadBytes)) on \(threads) thread(s)…")
        let triad = TriadBandwidth.measure(
            arrayBytes: triadBytes, threads: threads,
            policy: TimingPolicy(warmup: 1, minReps: Swift.max(10, options.minReps), minTime: options.minTime))
        progress("triad: \(Format.fixed(triad.bestGBps, 1)) GB/s best, \(Format.fixed(triad.medianGBps, 1)) GB/s median")

        var results = [MatrixResult]()
        if !options.prune.values.isEmpty {
            results = try runPruning(triad: triad)
        } else if options.matrix.isEmpty {
            let pattern = options.pattern
            let densities: [Double?] = pattern.hasFixedDensity ? [nil] : options.densities.values.map(\.fraction)
            if pattern.hasFixedDensity { progress("\(pattern.rawValue) has its own density: --densities does not apply") }
            // Fail before generating anything when a generated CSR would outgrow --max-matrix-mib.
            let n = Double(options.size), entryBytes = Double(MemoryLayout<S>.stride + MemoryLayout<I>.stride)
            for case let d? in densities where n * n * d * entryBytes > Double(maxBytes) {
                throw BenchError("\(pattern.rawValue) at \(Format.percent(d)): the generated \(options.size)×\(options.size) "
                                 + "CSR would hold about \(_bytesText(n * n * d * entryBytes)) (--max-matrix-mib "
                                 + "\(options.maxMatrixMiB)); lower --densities or --size")
            }
            for d in densities {
                progress("\(pattern.rawValue): generating \(d.map { Format.percent($0) } ?? "")…")
                let csr: CSRMatrix<S, I> = try PatternGenerator.generate(
                    pattern, size: options.size, density: d ?? 0, block: options.blockSizes.values[0],
                    seed: options.seed)
                results.append(try measureMatrix(name: pattern.rawValue, pattern: pattern.rawValue, path: nil,
                                                 target: d, csr, chooseBlock: false, triad: triad))
            }
        } else {
            // Fail before measuring anything when a file cannot be read at all.
            for path in options.matrix { _ = try MatrixInput.readHeader(path: path) }
            var used = Set<String>()
            for path in options.matrix {
                var name = MatrixInput.displayName(path: path)
                if used.contains(name) {
                    var n = 2
                    while used.contains("\(name)#\(n)") { n += 1 }
                    name = "\(name)#\(n)"
                }
                used.insert(name)
                progress("\(name): reading \(path)…")
                let (_, coo) = try MatrixInput.read(path: path, scalar: S.self, index: I.self, threads: threads)
                let csr = try coo.csr(indexType: I.self)
                results.append(try measureMatrix(name: name, pattern: "file", path: path, target: nil, csr,
                                                 chooseBlock: true, triad: triad))
            }
        }
        let records = results.flatMap(\.records)
        return BenchReport(
            scalar: S.scalarName, indexBits: MemoryLayout<I>.size * 8, threads: threads, rhs: options.rhs,
            seed: options.seed, policy: policy, triad: triad, matrices: results.map(\.summary), records: records,
            crossovers: CrossoverAnalysis.analyze(records))
    }

    /// What one matrix produced.
    struct MatrixResult {
        var summary: MatrixSummary
        var records: [BenchRecord]
    }

    /// What happened to one operation of one format.
    enum OperationOutcome {
        case timed(TimingSummary)
        case wrong(String)
        case skipped(String)
    }

    /// One format's bytes and both operations.
    struct FormatOutcome {
        var bytes: Int
        var storedValues: Int
        var spmv: OperationOutcome
        var spmm: OperationOutcome

        static func skipped(bytes: Int, storedValues: Int, _ why: String) -> FormatOutcome {
            FormatOutcome(bytes: bytes, storedValues: storedValues, spmv: .skipped(why), spmm: .skipped(why))
        }
    }

    /// Measures every requested format on one matrix.
    func measureMatrix(name: String, pattern: String, path: String?, target: Double?, _ csr: CSRMatrix<S, I>,
                       chooseBlock: Bool, triad: TriadBandwidth) throws -> MatrixResult
    {
        let rows = csr.rows, cols = csr.columns, nnz = csr.storedCount, k = options.rhs
        let density = rows > 0 && cols > 0 ? Double(nnz) / (Double(rows) * Double(cols)) : 0
        let label = "\(name) \(rows)×\(cols) \(Format.percent(density))"
        let denseBytes = _saturatingBytes(rows, cols, MemoryLayout<A>.stride)

        func estimate(_ spec: FormatSpec, blocks: Int? = nil) throws(SparseError) -> MemoryFootprint {
            try MemoryFootprint.estimate(format: spec.storageFormat, rows: rows, columns: cols, storedEntries: nnz,
                                     blockCount: blocks, scalar: S.self, index: I.self)
        }
        let fills = try options.blockSizes.values.map { b throws(SparseError) in
            try csr.blockFill(blockRows: b, blockColumns: b)
        }
        var fillByBlock = [Int: BlockFill]()
        for f in fills { fillByBlock[f.blockRows] = f }
        let bsrBytes = try fills.map { f throws(SparseError) in
            try estimate(FormatSpec(kind: .bsr, block: f.blockRows), blocks: f.blockCount).totalBytes
        }
        let measuredBlocks = chooseBlock
            ? [fills[bsrBytes.indices.min { bsrBytes[$0] < bsrBytes[$1] }!].blockRows] : options.blockSizes.values
        if chooseBlock && options.formats.values.contains(.bsr) {
            let list = fills.map { "\($0.blockRows)×\($0.blockColumns) fill \(Format.fixed($0.fillRatio, 2))" }
            progress("\(label): BSR candidates \(list.joined(separator: ", ")) → \(measuredBlocks[0])×\(measuredBlocks[0])")
        }
        let specs = options.formatSpecs.filter { $0.kind != .bsr || measuredBlocks.contains($0.block!) }
        var summary = MatrixSummary(name: name, pattern: pattern, path: path, rows: rows, cols: cols, nnz: nnz,
                                    density: density, targetDensity: target, blockFills: fills,
                                    measuredBlocks: options.formats.values.contains(.bsr) ? measuredBlocks : [],
                                    notes: [])
        guard rows > 0 && cols > 0 else {
            summary.notes.append("empty matrix: nothing to multiply")
            return MatrixResult(summary: summary, records: [])
        }

        // x and X, and y, Y and their references (in Double), sized by the matrix: a file can declare any shape.
        let operandBytes = (Double(cols) * Double(1 + k) + 4 * Double(rows) * Double(1 + k)) * 8
        guard operandBytes <= Double(maxBytes) else {
            summary.notes.append("skipped: the operands (x, X, y, Y and the references) would hold "
                                 + "\(_bytesText(operandBytes)) (--max-matrix-mib \(options.maxMatrixMiB))")
            return MatrixResult(summary: summary, records: [])
        }
        let (x, xm) = operands(columns: cols)
        progress("\(label): reference products…")
        let reference = ReferenceProduct(csr, x: x, xm: xm, rhs: k)

        var outcomes = [(FormatSpec, FormatOutcome)]()
        for spec in specs where spec.isSparse {
            let planned = try estimate(spec, blocks: spec.block.flatMap { fillByBlock[$0]?.blockCount })
            if planned.totalBytes > maxBytes {
                let why = "skipped: \(spec) would hold \(Format.bytes(planned.totalBytes)) (--max-matrix-mib \(options.maxMatrixMiB))"
                summary.notes.append(why)
                outcomes.append((spec, .skipped(bytes: planned.totalBytes, storedValues: planned.storedValues, why)))
                continue
            }
            let outcome: FormatOutcome
            switch spec.kind {
            case .csr: outcome = measure(csr, reference: reference, x: x, xm: xm)
            case .csc: outcome = measure(try csr.csc(indexType: I.self), reference: reference, x: x, xm: xm)
            case .coo: outcome = measure(try csr.coo(indexType: I.self), reference: reference, x: x, xm: xm)
            case .bsr:
                let b = spec.block!
                outcome = measure(try csr.blockSparse(blockRows: b, blockColumns: b, indexType: I.self),
                                  reference: reference, x: x, xm: xm)
            case .dense: continue
            }
            progress("\(label): \(spec) \(describe(outcome, nnz: nnz))")
            outcomes.append((spec, outcome))
        }
        // Dense BLAS last: OpenBLAS's threads keep spinning for a while after a call.
        let dense: FormatOutcome
        if denseBytes <= maxBytes {
            dense = measureDense(csr.convertingValues(to: A.self).matrix.dense(), reference: reference, x: x, xm: xm)
            progress("\(label): dense BLAS \(describe(dense, nnz: nnz))")
        } else {
            let why = "skipped: dense would hold \(Format.bytes(denseBytes)) (--max-matrix-mib \(options.maxMatrixMiB))"
            summary.notes.append(why)
            dense = .skipped(bytes: denseBytes, storedValues: _saturatingBytes(rows, cols, 1), why)
        }
        return result(summary, sparse: outcomes, dense: dense, triad: triad)
    }

    /// The seeded x (`columns`) and X (row-major `columns × rhs`) every product of a matrix with `columns`
    /// columns is measured with.
    func operands(columns: Int) -> (x: [A], xm: [A]) {
        var rng = SplitMix64(seed: options.seed ^ 0x0123_4567_89AB_CDEF)
        let x = (0..<columns).map { _ in A(rng.nextNonzeroValue()) }
        let xm = (0..<columns * options.rhs).map { _ in A(rng.nextNonzeroValue()) }
        return (x, xm)
    }

    /// One matrix's result from its sparse outcomes and its dense baseline: dense first among the records when
    /// --formats lists it, every wrong product noted in the summary, and the dense medians as what the speed-ups
    /// are taken against.
    func result(_ summary: MatrixSummary, sparse: [(FormatSpec, FormatOutcome)], dense: FormatOutcome,
                triad: TriadBandwidth) -> MatrixResult
    {
        var summary = summary, outcomes = sparse
        if options.formats.values.contains(.dense) { outcomes.insert((FormatSpec(kind: .dense), dense), at: 0) }
        for (spec, o) in outcomes {
            for (op, oo) in [(Operation.spmv, o.spmv), (.spmm, o.spmm)] {
                if case .wrong(let why) = oo { summary.notes.append("\(spec) \(op.title) is WRONG: \(why)") }
            }
        }
        var denseMedians = [Operation: Double]()
        for (op, oo) in [(Operation.spmv, dense.spmv), (.spmm, dense.spmm)] {
            if case .timed(let t) = oo { denseMedians[op] = t.median }
        }
        return MatrixResult(summary: summary,
                            records: makeRecords(summary, outcomes, denseMedians: denseMedians, triad: triad))
    }

    /// One record per (format, operation) of one matrix; speedups against dense BLAS's median per operation.
    func makeRecords(_ m: MatrixSummary, _ outcomes: [(FormatSpec, FormatOutcome)],
                     denseMedians: [Operation: Double], triad: TriadBandwidth) -> [BenchRecord]
    {
        let (rows, cols, nnz, density) = (m.rows, m.cols, m.nnz, m.density)
        let denseBytes = _saturatingBytes(rows, cols, MemoryLayout<A>.stride)
        var records = [BenchRecord]()
        for (spec, o) in outcomes {
            for op in Operation.allCases {
                let rhs = op == .spmv ? 1 : options.rhs
                var r = BenchRecord(
                    matrix: m.name, pattern: m.pattern, rows: rows, cols: cols, density: density,
                    targetDensity: m.targetDensity, nnz: nnz, format: spec, operation: op, scalar: S.scalarName,
                    indexBits: MemoryLayout<I>.size * 8, threads: threads, rhs: rhs, bytes: o.bytes,
                    bytesRatioDense: Double(o.bytes) / Double(denseBytes), storedValues: o.storedValues,
                    fillRatio: spec.kind == .bsr && nnz > 0 ? Double(o.storedValues) / Double(nnz) : nil,
                    verified: nil, timing: nil, gflops: nil, gbps: nil, triadShare: nil, speedupDense: nil,
                    triadGBps: triad.bestGBps, note: nil, pruning: m.pruning)
                switch op == .spmv ? o.spmv : o.spmm {
                case .timed(let t):
                    r.verified = true
                    r.timing = t
                    r.gflops = Throughput.flops(nonzeros: nnz, rhs: rhs) / t.median / 1e9
                    r.gbps = Throughput.bytesMoved(footprintBytes: o.bytes, rows: rows, columns: cols, rhs: rhs,
                                                   scalarBytes: MemoryLayout<A>.stride) / t.median / 1e9
                    r.triadShare = r.gbps! / triad.bestGBps
                    r.speedupDense = denseMedians[op].map { $0 / t.median }
                case .wrong(let why):
                    r.verified = false
                    r.note = "wrong result, not timed: \(why)"
                case .skipped(let why):
                    r.note = why
                }
                records.append(r)
            }
        }
        return records
    }

    /// Verifies, then times, both products of one sparse format through the kernel API.
    func measure<M: MatrixMultiplying>(_ m: M, reference: ReferenceProduct, x: [A], xm: [A]) -> FormatOutcome
        where M.Scalar.Arithmetic == A
    {
        let config = configuration
        let fp = m.footprint
        let spmv = runSpMV(reference: reference, x: x) { xp, yp in
            m.multiply(.none, alpha: 1, x: xp, beta: 0, y: yp, configuration: config)
        }
        let spmm = runSpMM(reference: reference, xm: xm, columns: m.columns) { xv, yv in
            m.multiply(.none, alpha: 1, x: xv, beta: 0, y: yv, configuration: config)
        }
        return FormatOutcome(bytes: fp.totalBytes, storedValues: fp.storedValues, spmv: spmv, spmm: spmm)
    }

    /// Verifies, then times, the dense products (OpenBLAS gemv and gemm for Float and Double, through the
    /// kernels' `DenseMatrix` conformance) on the dense matrix.
    func measureDense(_ d: DenseMatrix<A>, reference: ReferenceProduct, x: [A], xm: [A]) -> FormatOutcome {
        measure(d, reference: reference, x: x, xm: xm)
    }

    /// Runs `kernel` once into a NaN-filled y and checks it; only a correct kernel is timed.
    func runSpMV(reference: ReferenceProduct, x: [A],
                 _ kernel: (UnsafeBufferPointer<A>, UnsafeMutableBufferPointer<A>) -> Void) -> OperationOutcome
    {
        var y = [A](repeating: .nan, count: reference.rows)
        return x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                kernel(xp, yp)
                if let bad = reference.checkSpMV(UnsafeBufferPointer(yp)) { return .wrong("SpMV \(bad)") }
                return .timed(policy.measure { kernel(xp, yp) })
            }
        }
    }

    /// Runs `kernel` once into a NaN-filled Y (row-major, `rows × k`) and checks it; only a correct kernel is timed.
    func runSpMM(reference: ReferenceProduct, xm: [A], columns: Int,
                 _ kernel: (DenseMatrixView<A>, MutableDenseMatrixView<A>) -> Void) -> OperationOutcome
    {
        let k = reference.rhs
        var ym = [A](repeating: .nan, count: reference.rows * k)
        return xm.withUnsafeBufferPointer { xp in
            ym.withUnsafeMutableBufferPointer { yp in
                let xv = DenseMatrixView(unsafeBaseAddress: xp.baseAddress!, rows: columns, columns: k)
                let yv = MutableDenseMatrixView(unsafeBaseAddress: yp.baseAddress!, rows: reference.rows, columns: k)
                kernel(xv, yv)
                if let bad = reference.checkSpMM(UnsafeBufferPointer(yp)) { return .wrong("SpMM \(bad)") }
                return .timed(policy.measure { kernel(xv, yv) })
            }
        }
    }

    /// A progress summary of one format.
    func describe(_ o: FormatOutcome, nnz: Int) -> String {
        func part(_ name: String, _ oo: OperationOutcome, _ rhs: Int) -> String {
            switch oo {
            case .timed(let t):
                return "\(name) \(Format.fixed(Throughput.flops(nonzeros: nnz, rhs: rhs) / t.median / 1e9, 3)) GFLOP/s"
            case .wrong: return "\(name) WRONG"
            case .skipped: return "\(name) skipped"
            }
        }
        return "\(Format.bytes(o.bytes)), \(part("SpMV", o.spmv, 1)), \(part("SpMM", o.spmm, options.rhs))"
    }
}

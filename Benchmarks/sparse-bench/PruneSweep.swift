import SwiftSparse

/// How a pruned series was made, for its records and its table section.
struct PruningSummary: Sendable {
    /// `magnitude`, `block` or `nm`.
    var method: PruneMethod
    /// The rule applied at this density: `top 10%`, `4×4 Frobenius`, `2:4`.
    var rule: String
    /// ‖A − P‖_F / ‖A‖_F.
    var removedNorm: Double
}

extension SweepRunner {
    /// The `--prune` sweep: one dense matrix per source (generated, or each `--matrix` file read as dense),
    /// its dense products measured once as the baseline, then for each method and target density the pruned
    /// matrix measured in its format (CSR, or BSR for block pruning) as one record of the series
    /// `<source>·<method>`.
    func runPruning(triad: TriadBandwidth) throws -> [MatrixResult] {
        var results = [MatrixResult]()
        for source in try pruningSources() {
            let d = source.matrix
            let (rows, cols) = (d.rows, d.columns)
            guard rows > 0 && cols > 0 else {
                progress("\(source.name): empty matrix, nothing to prune")
                continue
            }
            let k = options.rhs
            let (x, xm) = operands(columns: cols)

            progress("\(source.name) \(rows)×\(cols): dense baseline…")
            let denseCSR = try d.csr(indexType: I.self)
            let dense = measureDense(d.convertingValues(to: A.self).matrix,
                                     reference: ReferenceProduct(denseCSR, x: x, xm: xm, rhs: k), x: x, xm: xm)
            progress("\(source.name): dense BLAS \(describe(dense, nnz: denseCSR.storedCount))")

            for method in options.prune.values {
                for target in options.densities.values.map(\.fraction) {
                    let (pruned, spec, summaryOfPruning) = try prune(d, method: method, density: target)
                    let csr = try pruned.csr(indexType: I.self)
                    let nnz = csr.storedCount
                    let name = "\(source.name)·\(method)"
                    let density = Double(nnz) / (Double(rows) * Double(cols))
                    progress("\(name) \(Format.percent(target)): \(summaryOfPruning.rule), kept \(Format.grouped(nnz))…")
                    let reference = ReferenceProduct(csr, x: x, xm: xm, rhs: k)
                    let outcome: FormatOutcome
                    switch pruned {
                    case .csr(let m): outcome = measure(m, reference: reference, x: x, xm: xm)
                    case .bsr(let m): outcome = measure(m, reference: reference, x: x, xm: xm)
                    }
                    progress("\(name) \(Format.percent(target)): \(spec) \(describe(outcome, nnz: nnz))")
                    var summary = MatrixSummary(
                        name: name, pattern: "pruned", path: source.path, rows: rows, cols: cols, nnz: nnz,
                        density: density, targetDensity: target,
                        blockFills: spec.kind == .bsr ? [try csr.blockFill(blockRows: spec.block!, blockColumns: spec.block!)] : [],
                        measuredBlocks: spec.block.map { [$0] } ?? [], notes: [])
                    summary.pruning = summaryOfPruning
                    results.append(result(summary, sparse: [(spec, outcome)], dense: dense, triad: triad))
                }
            }
        }
        return results
    }

    /// A pruned matrix in the format its method produces.
    enum PrunedMatrix {
        case csr(CSRMatrix<S, I>)
        case bsr(BlockSparseMatrix<S, I>)

        func csr(indexType: I.Type) throws(SparseError) -> CSRMatrix<S, I> {
            switch self {
            case .csr(let m): return m
            case .bsr(let m): return try m.csr(indexType: I.self)
            }
        }
    }

    /// Prunes `d` to `density` with `method`.
    func prune(_ d: DenseMatrix<S>, method: PruneMethod, density: Double) throws
        -> (PrunedMatrix, FormatSpec, PruningSummary)
    {
        switch method {
        case .magnitude:
            let p = try Pruning.magnitude(d, density: density, indexType: I.self)
            return (.csr(p.matrix), FormatSpec(kind: .csr),
                    PruningSummary(method: method, rule: "top \(Format.percent(density)) by |value|",
                                   removedNorm: p.report.removedRelativeNorm))
        case .block:
            let b = options.blockSizes.values[0]
            let p = try Pruning.blocks(d, blockRows: b, blockColumns: b, density: density, norm: .frobenius,
                                       indexType: I.self)
            return (.bsr(p.matrix), FormatSpec(kind: .bsr, block: b),
                    PruningSummary(method: method, rule: "\(b)×\(b) blocks by Frobenius norm",
                                   removedNorm: p.report.removedRelativeNorm))
        case .nm:
            let (n, m) = PruneMethod.nOfM(density: density)
            let p = try Pruning.nOfM(d, n: n, m: m, indexType: I.self)
            return (.csr(p.matrix), FormatSpec(kind: .csr),
                    PruningSummary(method: method, rule: "\(n):\(m)", removedNorm: p.report.removedRelativeNorm))
        }
    }

    /// The dense matrices to prune: a seeded random one of `--size`, or each `--matrix` file read as dense.
    func pruningSources() throws -> [(name: String, path: String?, matrix: DenseMatrix<S>)] {
        if options.matrix.isEmpty {
            let n = options.size
            let bytes = n * n * MemoryLayout<S>.stride
            guard bytes <= maxBytes else {
                throw BenchError("--prune: a dense \(n)×\(n) matrix would hold \(Format.bytes(bytes)) "
                                 + "(--max-matrix-mib \(options.maxMatrixMiB))")
            }
            progress("dense \(n)×\(n): generating seeded values…")
            var rng = SplitMix64(seed: options.seed)
            return [("random", nil, DenseMatrix<S>(rows: n, columns: n) { _, _ in S(rng.nextNonzeroValue()) })]
        }
        var out = [(name: String, path: String?, matrix: DenseMatrix<S>)]()
        for path in options.matrix {
            let header = try MatrixInput.readHeader(path: path)
            let bytes = _saturatingBytes(header.rows, header.columns, MemoryLayout<S>.stride)
            guard bytes <= maxBytes else {
                throw BenchError("--prune: \(path) as a dense matrix would hold \(Format.bytes(bytes)) "
                                 + "(--max-matrix-mib \(options.maxMatrixMiB))")
            }
            progress("\(path): reading as dense…")
            let (_, coo) = try MatrixInput.read(path: path, scalar: S.self, index: I.self, threads: threads)
            out.append((MatrixInput.displayName(path: path), path, coo.dense()))
        }
        return out
    }
}

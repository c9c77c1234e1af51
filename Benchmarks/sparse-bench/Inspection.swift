import SwiftSparse

/// What `sparse-bench inspect` reports about a MatrixMarket file: its header, shape, stored entries after
/// expansion, explicit zeros, and the footprint of every format at both index widths, with the fill each BSR
/// block size would need (counted without building the blocks). Nothing is timed.
struct Inspection: Sendable {
    /// One format's bytes at one index width.
    struct Footprint: Sendable {
        var format: FormatSpec
        var indexBits: Int
        /// nil when the shape or count does not fit the index width.
        var bytes: Int?
        var storedValues: Int
    }

    var path: String
    var name: String
    var header: MatrixInput.Header
    var rows: Int
    var cols: Int
    /// Entries stored after symmetric expansion, duplicates summed (explicit zeros included).
    var storedEntries: Int
    /// Stored entries whose value is zero.
    var explicitZeros: Int
    var scalar: String
    var footprints: [Footprint]
    var fills: [BlockFill]

    var density: Double { rows > 0 && cols > 0 ? Double(storedEntries) / (Double(rows) * Double(cols)) : 0 }
    var denseBytes: Int { footprints.first { $0.format.kind == .dense }?.bytes ?? 0 }

    /// Reads `path` (64-bit indices, so any file the reader accepts fits) and computes the report.
    static func inspect<S: SparseScalar>(path: String, blockSizes: [Int], scalar: S.Type, threads: Int) throws
        -> Inspection
    {
        let (header, coo) = try MatrixInput.read(path: path, scalar: S.self, index: Int64.self, threads: threads)
        let zeros = coo.values.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
        let csr = try coo.csr(indexType: Int64.self)
        let fills = try blockSizes.map { b throws(SparseError) in try csr.blockFill(blockRows: b, blockColumns: b) }
        let (rows, cols, nnz) = (csr.rows, csr.columns, csr.storedCount)
        var footprints = [Footprint]()
        for bits in [32, 64] {
            let specs = [FormatSpec(kind: .dense), FormatSpec(kind: .coo), FormatSpec(kind: .csr), FormatSpec(kind: .csc)]
                + fills.map { FormatSpec(kind: .bsr, block: $0.blockRows) }
            for spec in specs {
                let blocks = spec.block.flatMap { b in fills.first { $0.blockRows == b }?.blockCount }
                let e = try MemoryFootprint.estimate(format: spec.storageFormat, rows: rows, columns: cols,
                                                     storedEntries: nnz, blockCount: blocks,
                                                     scalarBytes: MemoryLayout<S>.stride, indexBytes: bits / 8)
                var fits = true
                if bits == 32 && spec.kind != .dense {
                    let b = spec.block ?? 1
                    fits = (try? Int32.checkAddressable(rows: (rows + b - 1) / b, columns: (cols + b - 1) / b,
                                                        entries: blocks ?? nnz)) != nil
                }
                footprints.append(Footprint(format: spec, indexBits: bits, bytes: fits ? e.totalBytes : nil,
                                            storedValues: e.storedValues))
            }
        }
        return Inspection(path: path, name: MatrixInput.displayName(path: path), header: header, rows: rows,
                          cols: cols, storedEntries: nnz, explicitZeros: zeros, scalar: S.scalarName,
                          footprints: footprints, fills: fills)
    }
}

extension Inspection {
    /// The report as aligned text.
    func renderedTable() -> String {
        let h = header
        var out = """
            file      \(path)
            header    \(h.format) \(h.field) \(h.symmetry): \(h.rows) × \(h.columns), \(Format.grouped(h.entries)) \
            entries in the file
            shape     \(rows) × \(cols)
            entries   \(Format.grouped(storedEntries)) stored after expansion (density \(Format.percent(density))), \
            \(Format.grouped(explicitZeros)) explicit zero(s)
            values    \(scalar)


            """
        var table = TextTable(columns: [
            .init(title: "format", align: .left),
            .init(title: "values"),
            .init(title: "Int32 indices", separated: true),
            .init(title: "×dense"),
            .init(title: "Int64 indices", separated: true),
            .init(title: "×dense"),
            .init(title: "BSR fill", align: .left, separated: true),
        ])
        let dense = Double(denseBytes)
        for f32 in footprints where f32.indexBits == 32 {
            let f64 = footprints.first { $0.indexBits == 64 && $0.format == f32.format }
            let fill = f32.format.block.flatMap { b in fills.first { $0.blockRows == b } }
            table.add([
                f32.format.description,
                Format.grouped(f32.storedValues),
                f32.bytes.map(Format.bytes) ?? "does not fit",
                f32.bytes.map { Format.significant(Double($0) / dense) } ?? "–",
                f64?.bytes.map(Format.bytes) ?? "–",
                f64?.bytes.map { Format.significant(Double($0) / dense) } ?? "–",
                fill.map {
                    "\(Format.fixed($0.fillRatio, 2)) (\(Format.grouped($0.blockCount)) block(s), "
                        + "\(Format.grouped($0.fillValues)) zeros)"
                } ?? "",
            ])
        }
        out += table.rendered()
        return out
    }

    /// The report as JSON.
    func renderedJSON() -> String {
        JSONValue.object([
            ("file", .string(path)),
            ("matrix", .string(name)),
            ("header", .object([
                ("format", .string(header.format)),
                ("field", .string(header.field)),
                ("symmetry", .string(header.symmetry)),
                ("rows", .int(header.rows)),
                ("cols", .int(header.columns)),
                ("entries", .int(header.entries)),
            ])),
            ("rows", .int(rows)),
            ("cols", .int(cols)),
            ("stored_entries", .int(storedEntries)),
            ("explicit_zeros", .int(explicitZeros)),
            ("density", .number(density)),
            ("scalar", .string(scalar)),
            ("footprints", .array(footprints.map { f in
                .object([
                    ("format", .string(f.format.kind.rawValue)),
                    ("block", f.format.block.map(JSONValue.int) ?? .null),
                    ("index_bits", .int(f.indexBits)),
                    ("bytes", f.bytes.map(JSONValue.int) ?? .null),
                    ("bytes_ratio_dense", f.bytes.map { .number(Double($0) / Double(denseBytes)) } ?? .null),
                    ("stored_values", .int(f.storedValues)),
                ])
            })),
            ("bsr_fill", .array(fills.map { f in
                .object([
                    ("block", .int(f.blockRows)),
                    ("blocks", .int(f.blockCount)),
                    ("stored_values", .int(f.storedValues)),
                    ("fill_values", .int(f.fillValues)),
                    ("fill_ratio", .number(f.fillRatio)),  // rendered as null when not finite
                ])
            })),
        ]).rendered() + "\n"
    }
}

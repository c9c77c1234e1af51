/// The sweep as one JSON document:
///
///     {"tool": "sparse-bench", "schema_version": 1,
///      "settings": {...}, "triad": {...},
///      "matrices": [one per matrix: identity, BSR candidates with their fill],
///      "records": [one per (matrix, density, format, operation), fields as in BenchRecord.fields],
///      "crossovers": [one per (matrix, format, measure)]}
enum ReportJSON {
    static let schemaVersion = 1

    static func render(_ report: BenchReport) -> String {
        document(report).rendered() + "\n"
    }

    static func document(_ report: BenchReport) -> JSONValue {
        .object([
            ("tool", .string("sparse-bench")),
            ("schema_version", .int(schemaVersion)),
            ("settings", .object([
                ("scalar", .string(report.scalar)),
                ("index_bits", .int(report.indexBits)),
                ("threads", .int(report.threads)),
                ("rhs", .int(report.rhs)),
                ("seed", .string(String(report.seed))),
                ("warmup", .int(report.policy.warmup)),
                ("min_reps", .int(report.policy.minReps)),
                ("min_time_s", .number(report.policy.minTime)),
            ])),
            ("triad", .object([
                ("gbps", .number(report.triad.bestGBps)),
                ("median_gbps", .number(report.triad.medianGBps)),
                ("array_bytes", .int(report.triad.arrayBytes)),
                ("threads", .int(report.triad.threads)),
                ("reps", .int(report.triad.timing.reps)),
            ])),
            ("matrices", .array(report.matrices.map(matrix))),
            ("records", .array(report.records.map(record))),
            ("crossovers", .array(report.crossovers.map(crossover))),
        ])
    }

    static func record(_ r: BenchRecord) -> JSONValue {
        .object(r.fieldValues.map { ($0.name, JSONValue($0.value)) })
    }

    static func matrix(_ m: MatrixSummary) -> JSONValue {
        .object([
            ("matrix", .string(m.name)),
            ("pattern", .string(m.pattern)),
            ("path", m.path.map(JSONValue.string) ?? .null),
            ("rows", .int(m.rows)),
            ("cols", .int(m.cols)),
            ("nnz", .int(m.nnz)),
            ("density", .number(m.density)),
            ("target_density", m.targetDensity.map(JSONValue.number) ?? .null),
            ("bsr_candidates", .array(m.blockFills.map { f in
                .object([
                    ("block", .int(f.blockRows)),
                    ("blocks", .int(f.blockCount)),
                    ("stored_values", .int(f.storedValues)),
                    ("fill_ratio", .number(f.fillRatio)),  // rendered as null when not finite
                ])
            })),
            ("measured_blocks", .array(m.measuredBlocks.map(JSONValue.int))),
            ("notes", .array(m.notes.map(JSONValue.string))),
        ])
    }

    static func crossover(_ c: Crossover) -> JSONValue {
        var status = "", estimate: Double?, below: Double?, above: Double?
        switch c.outcome {
        case let .crossed(b, a, e): (status, estimate, below, above) = ("crossed", e, b, a)
        case let .winsThroughout(upTo): (status, below) = ("wins_throughout", upTo)
        case let .neverWins(from): (status, above) = ("never_wins", from)
        }
        return .object([
            ("matrix", .string(c.matrix)),
            ("format", c.format.map { .string($0.kind.rawValue) } ?? .string("any_sparse")),
            ("block", c.format?.block.map(JSONValue.int) ?? .null),
            ("measure", .string(c.measure.rawValue)),
            ("status", .string(status)),
            ("density", estimate.map(JSONValue.number) ?? .null),
            ("last_winning_density", below.map(JSONValue.number) ?? .null),
            ("first_losing_density", above.map(JSONValue.number) ?? .null),
        ])
    }
}

import Foundation

/// The sweep's records as CSV (RFC 4180): a header of the field names of ``BenchRecord/fields``, then one line
/// per record. Null fields are empty; text with a comma, quote or line break is quoted.
enum ReportCSV {
    static func render(_ report: BenchReport) -> String {
        var out = BenchRecord.fields.map(\.name).joined(separator: ",") + "\n"
        for r in report.records {
            out += r.fieldValues.map { cell($0.value) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func cell(_ v: FieldValue) -> String {
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .number(let x): return x.isFinite ? "\(x)" : ""
        case .string(let s):
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}

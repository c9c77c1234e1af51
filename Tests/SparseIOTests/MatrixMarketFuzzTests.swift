import Testing
import SparseCore
@testable import SparseIO

/// Seeded mutations of every fixture: each input must give a matrix or a typed error — never a trap — and
/// the same answer (matrix or error, line number included) on one thread and on many with tiny chunks.
@Suite struct MatrixMarketFuzzTests {
    static let interesting: [UInt8] = Array(" \t\r\n%-+.0123456789eEinfaxD\u{0}".utf8) + [0xFF, 0x80]

    /// One random mutation of `input`.
    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        func position(_ n: Int) -> Int { n == 0 ? 0 : Int(rng.next() % UInt64(n)) }
        func lines() -> [ArraySlice<UInt8>] { b.split(separator: 0x0A, omittingEmptySubsequences: false) }
        switch rng.next() % 8 {
        case 0, 1:  // flip bytes
            for _ in 0...(rng.next() % 3) where !b.isEmpty {
                let p = position(b.count)
                b[p] = rng.next() % 2 == 0 ? interesting[position(interesting.count)] : UInt8(truncatingIfNeeded: rng.next())
            }
        case 2:  // truncate
            b.removeLast(position(b.count + 1))
        case 3:  // duplicate a line
            var l = lines()
            if !l.isEmpty { let k = position(l.count); l.insert(l[k], at: position(l.count + 1)) }
            b = Array(l.joined(separator: [0x0A]))
        case 4:  // delete a line
            var l = lines()
            if !l.isEmpty { l.remove(at: position(l.count)) }
            b = Array(l.joined(separator: [0x0A]))
        case 5:  // swap two tokens
            var tokens = [Range<Int>]()
            var p = 0
            while p < b.count {
                while p < b.count && (b[p] == 0x20 || b[p] == 0x0A) { p += 1 }
                let s = p
                while p < b.count && b[p] != 0x20 && b[p] != 0x0A { p += 1 }
                if p > s { tokens.append(s..<p) }
            }
            if tokens.count >= 2 {
                var (x, y) = (tokens[position(tokens.count)], tokens[position(tokens.count)])
                if x.lowerBound > y.lowerBound { swap(&x, &y) }
                if x != y {
                    b = Array(b[..<x.lowerBound] + b[y] + b[x.upperBound..<y.lowerBound] + b[x] + b[y.upperBound...])
                }
            }
        case 6:  // insert up to three digits or a sign
            let p = position(b.count + 1)
            let insert = (0...(rng.next() % 3)).map { _ in Array("0123456789-".utf8)[position(11)] }
            b.insert(contentsOf: insert, at: p)
        default:  // join two lines or split one
            if let k = b.indices.filter({ b[$0] == 0x0A }).randomElement(using: &rng) {
                b[k] = 0x20
            } else if !b.isEmpty {
                b.insert(0x0A, at: position(b.count))
            }
        }
        return b
    }

    /// The outcome of reading: the COO arrays (values by bit pattern) or the error.
    enum Outcome: Equatable {
        case matrix(rows: Int, columns: Int, r: [Int32], c: [Int32], v: [UInt64])
        case error(MatrixMarketError)
    }

    static func outcome(_ bytes: [UInt8], threads: Int, chunk: Int) -> Outcome {
        var options = MatrixMarketReadOptions()
        options._minimumChunkBytes = chunk
        do {
            let m = try MatrixMarket.read(bytes: bytes, threads: threads, options: options).matrix
            return .matrix(rows: m.rows, columns: m.columns, r: m.rowIndices.array, c: m.columnIndices.array,
                           v: m.values.map { $0.isNaN ? 0x7FF8_0000_0000_0000 : $0.bitPattern })
        } catch {
            return .error(error)
        }
    }

    @Test(arguments: Fixture.names(in: "") + Fixture.names(in: "edge") + Fixture.names(in: "errors"))
    func mutationsReadOrThrow(name: String) throws {
        let original = Fixture.bytes(name)
        var rng = SplitMix64(seed: UInt64(name.utf8.reduce(5381) { ($0 &* 33) ^ Int($1) }.magnitude))
        var matrices = 0, errors = 0
        for round in 0..<150 {
            var input = Self.mutate(original, &rng)
            if round % 3 == 0 { input = Self.mutate(input, &rng) }
            let serial = Self.outcome(input, threads: 1, chunk: 1 << 18)
            let parallel = Self.outcome(input, threads: 3, chunk: 1 + Int(rng.next() % 64))
            #expect(serial == parallel, "\(name) round \(round)")
            switch serial {
            case .matrix(let rows, let columns, _, _, _):
                matrices += 1
                // Conversions of whatever was read must work too.
                let csr = try MatrixMarket.read(bytes: input, as: CSRMatrix<Double, Int64>.self).matrix
                #expect(csr.rows == rows && csr.columns == columns)
            case .error(let e):
                errors += 1
                #expect(e.line.map { $0 >= 1 } ?? false, "\(e)")
                #expect(!e.description.isEmpty)
            }
        }
        #expect(matrices + errors == 150)
    }
}

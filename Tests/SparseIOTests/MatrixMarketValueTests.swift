import Testing
import SparseCore
@testable import SparseIO

/// Values read through the whole reader are bit for bit what `strtod`/`strtof` give (Swift's
/// `Double(String)`/`Float(String)`), over random decimals of every shape.
@Suite struct MatrixMarketValueTests {
    /// A random decimal token: sign, 1–25 significant digits, optional point, optional exponent in any form.
    static func randomDecimal(_ rng: inout SplitMix64, exponentRange: ClosedRange<Int>) -> String {
        func digit() -> Character { Character(String(rng.next() % 10)) }
        var s = ""
        switch rng.next() % 3 { case 0: s += "-"; case 1: s += rng.next() % 4 == 0 ? "+" : ""; default: break }
        let whole = Int(rng.next() % 12), fraction = Int(rng.next() % 14)
        for _ in 0..<whole { s.append(digit()) }
        if fraction > 0 || whole == 0 || rng.next() % 5 == 0 {
            s += "."
            for _ in 0..<Swift.max(fraction, whole == 0 ? 1 : 0) { s.append(digit()) }
        }
        if rng.next() % 2 == 0 {
            s += rng.next() % 2 == 0 ? "e" : "E"
            let e = exponentRange.lowerBound + Int(rng.next() % UInt64(exponentRange.count))
            s += e < 0 ? "-" : (rng.next() % 2 == 0 ? "+" : "")
            let digits = String(e.magnitude)
            s += String(repeating: "0", count: Int(rng.next() % 3)) + digits
        }
        return s
    }

    static func file(_ tokens: [String]) -> String {
        "%%MatrixMarket matrix coordinate real general\n\(tokens.count) 1 \(tokens.count)\n"
            + tokens.enumerated().map { "\($0.offset + 1) 1 \($0.element)\n" }.joined()
    }

    @Test func doublesMatchStrtod() throws {
        var rng = SplitMix64(seed: 42)
        let tokens = (0..<4000).map { _ in Self.randomDecimal(&rng, exponentRange: -330...290) }
        let values = try MatrixMarket.read(string: Self.file(tokens), threads: 2).matrix.values
        for (t, v) in zip(tokens, values) {
            #expect(v.bitPattern == Double(t)!.bitPattern, "\(t)")
        }
    }

    @Test func floatsMatchStrtof() throws {
        var rng = SplitMix64(seed: 43)
        let tokens = (0..<4000).map { _ in Self.randomDecimal(&rng, exponentRange: -50...25) }
        let values = try MatrixMarket.read(string: Self.file(tokens), scalar: Float.self).matrix.values
        for (t, v) in zip(tokens, values) {
            #expect(v.bitPattern == Float(t)!.bitPattern, "\(t)")
        }
    }

    /// Hard cases for fast float parsers: halfway points, long mantissas, subnormal and range boundaries.
    @Test func hardCases() throws {
        let tokens = [
            "9007199254740993", "9007199254740992.5", "9007199254740993.0000000000000001",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9406564584124654e-324",
            "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623158e308",
            "0.1", "0.30000000000000004", "1e23", "8.988465674311579e307",
            "7.2057594037927933e16", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "123456789012345678901234567890e-20", "0.000000000000000000000000000000000001e36",
            "3.4028235677973366e38", "1.1754943508222875e-38", "1.401298464324817e-45",
        ]
        let doubles = try MatrixMarket.read(string: Self.file(tokens)).matrix.values
        for (t, v) in zip(tokens, doubles) { #expect(v.bitPattern == Double(t)!.bitPattern, "\(t)") }
        let floats = try MatrixMarket.read(string: Self.file(tokens.filter { Float($0)!.isFinite }), scalar: Float.self).matrix.values
        for (t, v) in zip(tokens.filter { Float($0)!.isFinite }, floats) { #expect(v.bitPattern == Float(t)!.bitPattern, "\(t)") }
    }

    /// Tokens that look almost like numbers are errors, never partial reads.
    @Test(arguments: ["0x1p3", "1.5D+03", "1,5", "1e", "1e+", ".", "-", "+", "--1", "1.2.3", "1e5.5", "nan(1)",
                      "infinit", "1_000", "١", "1e5x", "0b101", "e5", "1 .5"])
    func notNumbers(token: String) {
        let text = "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 \(token)\n% padding for the size check\n"
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.read(string: text) }
    }
}

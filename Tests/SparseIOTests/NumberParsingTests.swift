@testable import SparseIO
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Helpers (all fileprivate: nothing here leaks into the test module's namespace)

/// Runs `body` with the token placed after a 3-byte garbage prefix and followed by a NUL, so the
/// parsers are exercised with a non-zero `start` and the C reference can read the same bytes.
private func npWithToken<R>(_ token: [UInt8], _ body: (UnsafePointer<UInt8>, Int, Int) -> R) -> R {
    var buffer: [UInt8] = [0x23, 0x3A, 0x20]  // "#: "
    buffer.append(contentsOf: token)
    buffer.append(0)
    return buffer.withUnsafeBufferPointer { body($0.baseAddress!, 3, 3 + token.count) }
}

private func npParseDouble(_ s: String) -> Double? {
    npWithToken(Array(s.utf8)) { NumberParsing.parseDouble($0, $1, $2) }
}

private func npParseFloat(_ s: String) -> Float? {
    npWithToken(Array(s.utf8)) { NumberParsing.parseFloat($0, $1, $2) }
}

private func npParseInt64(_ s: String) -> Int64? {
    npWithToken(Array(s.utf8)) { NumberParsing.parseInt64($0, $1, $2) }
}

/// SplitMix64: small, seeded, deterministic.
private struct NumberParsingRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    // Cheap helpers (the generic `random(in:using:)` is slow in debug builds); the tiny modulo
    // bias is irrelevant here.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(truncatingIfNeeded: next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < p }
    mutating func digit() -> UInt8 { UInt8(truncatingIfNeeded: 0x30 &+ next() % 10) }
    mutating func nonZeroDigit() -> UInt8 { UInt8(truncatingIfNeeded: 0x31 &+ next() % 9) }
}

/// Compares parseDouble/parseFloat with strtod/strtof, bit for bit, on every token it is given.
private struct NumberParsingComparison {
    var tokens = 0
    var failures: [String] = []

    mutating func check(_ token: [UInt8]) {
        tokens += 1
        var text: String { String(decoding: token, as: UTF8.self) }
        // One buffer for all four parses: "#: " + token + NUL.
        let (refD, allD, refF, allF, parsedD, parsedF) = npWithToken(token) { base, start, end in
            let (refD, allD, refF, allF) = UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: end + 1) { c in
                var stopD: UnsafeMutablePointer<CChar>? = nil
                var stopF: UnsafeMutablePointer<CChar>? = nil
                let d = strtod(c + start, &stopD)
                let f = strtof(c + start, &stopF)
                return (d, stopD.map { UnsafePointer($0) == c + end } ?? false,
                        f, stopF.map { UnsafePointer($0) == c + end } ?? false)
            }
            return (refD, allD, refF, allF,
                    NumberParsing.parseDouble(base, start, end), NumberParsing.parseFloat(base, start, end))
        }
        if !allD || !allF {
            record("generator produced a token strtod does not consume fully: \(text)")
            return
        }
        if let d = parsedD {
            if d.bitPattern != refD.bitPattern && !(d.isNaN && refD.isNaN) {
                record("double \(text): got \(d) (0x\(String(d.bitPattern, radix: 16))), strtod \(refD) (0x\(String(refD.bitPattern, radix: 16)))")
            }
        } else {
            record("double \(text): rejected")
        }
        if let f = parsedF {
            if f.bitPattern != refF.bitPattern && !(f.isNaN && refF.isNaN) {
                record("float \(text): got \(f) (0x\(String(f.bitPattern, radix: 16))), strtof \(refF) (0x\(String(refF.bitPattern, radix: 16)))")
            }
        } else {
            record("float \(text): rejected")
        }
    }

    mutating func record(_ message: String) {
        if failures.count < 20 { failures.append(message) } else if failures.count == 20 { failures.append("…") }
    }

    func report(minimumTokens: Int) {
        for message in failures { Issue.record(Comment(rawValue: message)) }
        #expect(failures.isEmpty)
        #expect(tokens >= minimumTokens)
    }
}

/// printf-style formatting through the C library (no Foundation).
private func npFormat(_ format: String, _ x: Double) -> [UInt8] {
    var buffer = [CChar](repeating: 0, count: 512)
    let n = withVaList([x]) { vsnprintf(&buffer, 512, format, $0) }
    return buffer[0..<Int(n)].map { UInt8(bitPattern: $0) }
}

/// Writes ±digits·10^exp10 in a random but valid layout: point anywhere (or absent), optional
/// leading zeros, exponent in any accepted spelling (omitted when it is zero, sometimes).
private func npRender(negative: Bool, digits: [UInt8], exp10: Int, rng: inout NumberParsingRNG) -> [UInt8] {
    var out: [UInt8] = []
    if negative { out.append(0x2D) } else if rng.chance(0.1) { out.append(0x2B) }
    if rng.chance(0.1) { out.append(contentsOf: [UInt8](repeating: 0x30, count: rng.int(1...3))) }
    let n = digits.count
    let point = rng.chance(0.2) ? n : (rng.chance(0.5) ? 1 : rng.int(0...n))  // digits before the point
    out.append(contentsOf: digits[0..<point])
    let hasPoint = point < n || rng.chance(0.2)
    if hasPoint {
        out.append(0x2E)
        out.append(contentsOf: digits[point...])
    }
    let written = exp10 + (n - point)
    if written != 0 || rng.chance(0.5) {
        out.append(rng.chance(0.5) ? 0x65 : 0x45)
        if written < 0 { out.append(0x2D) } else if rng.chance(0.3) { out.append(0x2B) }
        if rng.chance(0.2) { out.append(0x30) }
        out.append(contentsOf: Array(String(abs(written)).utf8))
    }
    return out
}

/// The exact decimal expansion of m·2^e2: (digits without leading or trailing zeros, exp10).
private func npExactDecimal(_ m: UInt64, _ e2: Int) -> (digits: [UInt8], exp10: Int) {
    let radix: UInt64 = 1_000_000_000
    var limbs: [UInt64] = []  // little-endian, base 10^9
    var v = m
    while v > 0 { limbs.append(v % radix); v /= radix }
    func multiply(by f: UInt64) {
        var carry: UInt64 = 0
        for k in limbs.indices {
            let t = limbs[k] * f + carry
            limbs[k] = t % radix
            carry = t / radix
        }
        while carry > 0 { limbs.append(carry % radix); carry /= radix }
    }
    var exp10 = 0
    if e2 >= 0 {
        var r = e2
        while r > 0 { let s = min(r, 30); multiply(by: 1 << UInt64(s)); r -= s }
    } else {
        var r = -e2
        while r > 0 {
            let s = min(r, 13)
            var p: UInt64 = 1
            for _ in 0..<s { p *= 5 }
            multiply(by: p)
            r -= s
        }
        exp10 = e2
    }
    var digits: [UInt8] = Array(String(limbs.last!).utf8)
    for limb in limbs.dropLast().reversed() {
        let s = Array(String(limb).utf8)
        digits.append(contentsOf: [UInt8](repeating: 0x30, count: 9 - s.count))
        digits.append(contentsOf: s)
    }
    while digits.count > 1 && digits.last == 0x30 { digits.removeLast(); exp10 += 1 }
    return (digits, exp10)
}

/// Exact midpoint between a positive finite value (significand m, exponent e: m·2^e) and the next
/// one up, plus the values just below and just above it, as decimal digit strings.
private func npMidpointVariants(m: UInt64, e: Int) -> [(digits: [UInt8], exp10: Int)] {
    let (digits, exp10) = npExactDecimal(2 * m + 1, e - 1)
    // digits ends in a non-zero digit: decrementing it and appending 9s is "just below".
    var below = digits
    below[below.count - 1] -= 1
    below.append(contentsOf: [0x39, 0x39, 0x39])
    var above = digits
    above.append(contentsOf: [0x30, 0x30, 0x31])
    var result = [(digits, exp10), (above, exp10 - 3)]
    if below.first != 0x30 || below.count > 4 { result.append((below, exp10 - 3)) }
    return result
}

// MARK: - Suite

@Suite("NumberParsing")
struct NumberParsingTests {

    @Test("Known doubles")
    func knownDoubles() throws {
        #expect(npParseDouble("1") == 1)
        let negativeZero = try #require(npParseDouble("-0"))
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
        #expect(npParseDouble("+0.0e+0")?.bitPattern == 0)
        #expect(npParseDouble("12.") == 12)
        #expect(npParseDouble(".5") == 0.5)
        #expect(npParseDouble("-.5") == -0.5)
        #expect(npParseDouble("1e5") == 100_000)
        #expect(npParseDouble("1E+05") == 100_000)
        let sub = try #require(npParseDouble("1.5e-310"))
        #expect(sub.isSubnormal && sub.bitPattern == 0x0000_1B9C_D129_5941)  // (a literal would warn: underflow)
        #expect(npParseDouble("2.2250738585072011e-308")?.bitPattern == 0x000F_FFFF_FFFF_FFFF)
        #expect(npParseDouble("2.2250738585072014e-308") == Double.leastNormalMagnitude)
        #expect(npParseDouble("4.9e-324") == Double.leastNonzeroMagnitude)
        #expect(npParseDouble("2.4703282292062328e-324") == Double.leastNonzeroMagnitude)  // just above half
        #expect(npParseDouble("2.4703282292062327e-324") == 0)  // just below half
        #expect(npParseDouble("1.7976931348623157e308") == Double.greatestFiniteMagnitude)
        #expect(npParseDouble("1.8e308") == .infinity)
        #expect(npParseDouble("-1.8e308") == -.infinity)
        #expect(npParseDouble("0.1") == 0.1)
        #expect(npParseDouble("-0.12345678901234567") == -0.12345678901234567)
        #expect(npParseDouble("1.2345678901234567e-05") == 1.2345678901234567e-05)
        #expect(npParseDouble("9007199254740993") == 9_007_199_254_740_992)  // tie → even
        #expect(npParseDouble("9007199254740995") == 9_007_199_254_740_996)  // tie → even
        #expect(npParseDouble("9007199254740993.0000000000001") == 9_007_199_254_740_994)  // above the tie
        #expect(npParseDouble("1e23") == 1e23)  // beyond Clinger: Eisel–Lemire
        #expect(npParseDouble("123456789e30") == 123456789e30)  // "disguised" fast path
        #expect(npParseDouble("1e999999999999") == .infinity)
        #expect(npParseDouble("-1e999999999999") == -.infinity)
        #expect(npParseDouble("1e-999999999999")?.bitPattern == 0)
        #expect(npParseDouble("-1e-999999999999")?.bitPattern == (-0.0 as Double).bitPattern)
        #expect(npParseDouble("0e999999999999") == 0)
        #expect(try #require(npParseDouble("nan")).isNaN)
        #expect(try #require(npParseDouble("-NaN")).isNaN)
        #expect(npParseDouble("-Inf") == -.infinity)
        #expect(npParseDouble("+inf") == .infinity)
        #expect(npParseDouble("INFINITY") == .infinity)
        #expect(npParseDouble("-Infinity") == -.infinity)
    }

    @Test("Very long digit strings")
    func longDigitStrings() throws {
        let eightHundred = "1" + String(repeating: "0", count: 799)
        #expect(npParseDouble(eightHundred) == .infinity)
        #expect(npParseDouble(eightHundred + "e-799") == 1)
        #expect(npParseDouble("0." + String(repeating: "0", count: 500) + "1e501") == 1)
        #expect(npParseDouble("3." + String(repeating: "3", count: 800)) == 3.3333333333333335)
        #expect(npParseDouble(String(repeating: "9", count: 400) + "e-400") == 1)
        // 2^-1074 · 1.5 written out exactly: a tie between 1 and 2 ulps → rounds to even (2 ulps).
        let (digits, exp10) = npExactDecimal(3, -1075)
        let text = String(decoding: digits, as: UTF8.self) + "e\(exp10)"
        #expect(digits.count > 700)
        #expect(npParseDouble(text)?.bitPattern == 2)
    }

    @Test("Known floats (rounded directly, not through Double)")
    func knownFloats() throws {
        #expect(npParseFloat("1") == 1)
        #expect(npParseFloat("-0")?.bitPattern == 0x8000_0000)
        #expect(npParseFloat("0.1") == 0.1 as Float)
        #expect(npParseFloat("3.4028235e38") == Float.greatestFiniteMagnitude)
        #expect(npParseFloat("3.5e38") == .infinity)
        #expect(npParseFloat("1e-45") == Float.leastNonzeroMagnitude)
        #expect(npParseFloat("1.17549435e-38") == Float.leastNormalMagnitude)
        #expect(npParseFloat("16777217") == 16_777_216)  // tie → even
        // Slightly above the midpoint 1 + 2^-24: correct answer is 1 + 2^-23; rounding through
        // Double would land exactly on the midpoint and then tie to 1.0.
        #expect(npParseFloat("1.00000005960464477539062500001")?.bitPattern == 0x3F80_0001)
        #expect(npParseFloat("1.000000059604644775390625")?.bitPattern == 0x3F80_0000)  // exact tie → even
        #expect(npParseFloat("-inf") == -.infinity)
        #expect(try #require(npParseFloat("NAN")).isNaN)
        #expect(npParseFloat("1e999999999999") == .infinity)
    }

    @Test("Rejected tokens", arguments: [
        "", "+", "-", ".", "-.", "+.e5", "0x1p3", "0X10", "1.5D+03", "1.5d3", "1e", "1e+", "1E-", "1.5.3",
        " 1", "1 ", "1\n", "1a", "--1", "+-1", "e5", "E5", ".e5", "1e5.0", "1e5e5", "1,5", "in", "infin",
        "infinit", "infinityy", "nana", "nan(1)", "na", "1_000", "١",
    ])
    func rejected(_ token: String) {
        #expect(npParseDouble(token) == nil)
        #expect(npParseFloat(token) == nil)
    }

    @Test("Integers")
    func integers() {
        #expect(npParseInt64("0") == 0)
        #expect(npParseInt64("-0") == 0)
        #expect(npParseInt64("000") == 0)
        #expect(npParseInt64("-12") == -12)
        #expect(npParseInt64("+7") == 7)
        #expect(npParseInt64("007") == 7)
        #expect(npParseInt64("9223372036854775807") == .max)
        #expect(npParseInt64("-9223372036854775808") == .min)
        #expect(npParseInt64("0000000000000000000009223372036854775807") == .max)
        #expect(npParseInt64("9223372036854775808") == nil)
        #expect(npParseInt64("-9223372036854775809") == nil)
        #expect(npParseInt64("18446744073709551616") == nil)
        #expect(npParseInt64("99999999999999999999") == nil)
        #expect(npParseInt64("1.5") == nil)
        #expect(npParseInt64("1e3") == nil)
        #expect(npParseInt64("") == nil)
        #expect(npParseInt64("+") == nil)
        #expect(npParseInt64("-") == nil)
        #expect(npParseInt64(" 1") == nil)
        #expect(npParseInt64("1 ") == nil)
        #expect(npParseInt64("--1") == nil)
        #expect(npParseInt64("12a") == nil)
        var rng = NumberParsingRNG(seed: 7)
        var mismatches = 0
        for _ in 0..<20_000 {
            let v = Int64(bitPattern: rng.next()) >> UInt64(rng.int(0...63))
            if npParseInt64(String(v)) != v { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    // MARK: Randomized comparison with strtod / strtof

    @Test("Random bit patterns: Swift description and printf formats")
    func randomBitPatterns() {
        var rng = NumberParsingRNG(seed: 0x5EED_0001)
        var cmp = NumberParsingComparison()
        let formats = ["%.17g", "%.16g", "%.15g", "%.20e", "%.25g", "%.9g", "%.6e", "%a"]
        while cmp.tokens < 60_000 {
            let d = Double(bitPattern: rng.next())
            guard d.isFinite else { continue }
            cmp.check(Array("\(d)".utf8))
            let format = formats[rng.int(0...formats.count - 2)]  // (never "%a": hex is not accepted)
            cmp.check(npFormat(format, d))
        }
        cmp.report(minimumTokens: 60_000)
    }

    @Test("MatrixMarket-like values (%.16g, %.17g, %.20e)")
    func matrixMarketLike() {
        var rng = NumberParsingRNG(seed: 0x5EED_0002)
        var cmp = NumberParsingComparison()
        let formats = ["%.17g", "%.16g", "%.20e", "%.12g", "%g"]
        while cmp.tokens < 40_000 {
            let scale = Double(sign: .plus, exponent: rng.int(-40...40), significand: 1)
            let d = Double.random(in: -1...1, using: &rng) * scale
            cmp.check(npFormat(formats[rng.int(0...formats.count - 1)], d))
        }
        cmp.report(minimumTokens: 40_000)
    }

    @Test("Random digit strings, 1–40 digits, exponents −350…+330")
    func randomDigitStrings() {
        var rng = NumberParsingRNG(seed: 0x5EED_0003)
        var cmp = NumberParsingComparison()
        while cmp.tokens < 60_000 {
            let n = rng.int(1...40)
            var digits = (0..<n).map { _ in rng.digit() }
            if rng.chance(0.8) { digits[0] = rng.nonZeroDigit() }
            if rng.chance(0.2) {  // runs of 0s / 9s near rounding boundaries
                let fill: UInt8 = rng.chance(0.5) ? 0x30 : 0x39
                for k in rng.int(1...n)..<n { digits[k] = fill }
            }
            let exp10 = rng.int(-350...330) - (rng.chance(0.5) ? 0 : n)
            cmp.check(npRender(negative: rng.chance(0.5), digits: digits, exp10: exp10, rng: &rng))
        }
        cmp.report(minimumTokens: 60_000)
    }

    @Test("Boundary bands: overflow, underflow, subnormals (Double and Float)")
    func boundaryBands() {
        var rng = NumberParsingRNG(seed: 0x5EED_0004)
        var cmp = NumberParsingComparison()
        // Decimal exponents (of the leading digit) around DBL_MAX, DBL_MIN/subnormals, FLT_MAX, FLT_MIN/subnormals.
        let bands: [ClosedRange<Int>] = [306...309, (-309)...(-306), (-325)...(-321), 37...39, (-39)...(-36), (-47)...(-43)]
        while cmp.tokens < 30_000 {
            let band = bands[rng.int(0...bands.count - 1)]
            let n = rng.int(1...25)
            var digits = (0..<n).map { _ in rng.digit() }
            digits[0] = rng.nonZeroDigit()
            let lead = rng.int(band)
            cmp.check(npRender(negative: rng.chance(0.5), digits: digits, exp10: lead - (n - 1), rng: &rng))
        }
        // Values printed from the extreme binades themselves.
        let extremes: [Double] = [.greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude,
                                  Double(Float.greatestFiniteMagnitude), Double(Float.leastNormalMagnitude),
                                  Double(Float.leastNonzeroMagnitude)]
        for x in extremes {
            var y = x
            for _ in 0..<200 {
                for format in ["%.17g", "%.9g", "%.30e"] { cmp.check(npFormat(format, y)) }
                y = y.nextDown
            }
        }
        cmp.report(minimumTokens: 30_000)
    }

    @Test("Random Float bit patterns")
    func randomFloatBitPatterns() {
        var rng = NumberParsingRNG(seed: 0x5EED_0005)
        var cmp = NumberParsingComparison()
        let formats = ["%.9g", "%.8g", "%.7g", "%.12e", "%.10g"]
        while cmp.tokens < 30_000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            guard f.isFinite else { continue }
            cmp.check(Array("\(f)".utf8))
            cmp.check(npFormat(formats[rng.int(0...formats.count - 1)], Double(f)))
        }
        cmp.report(minimumTokens: 30_000)
    }

    @Test("Exact halfway cases between adjacent doubles, and just below / above")
    func doubleHalfwayCases() {
        var rng = NumberParsingRNG(seed: 0x5EED_0006)
        var cmp = NumberParsingComparison()
        for k in 0..<4_000 {
            let d: Double
            switch k % 4 {
            case 0:  // anywhere
                d = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)
            case 1:  // moderate magnitudes (short expansions; the Eisel–Lemire round-to-even window)
                d = Double(bitPattern: (UInt64(rng.int(1023 - 60...1023 + 80)) << 52) | (rng.next() >> 12))
            case 2:  // integers near 2^53…2^80 with few significant bits (exact ties in short strings)
                d = Double(rng.next() >> UInt64(rng.int(0...40))) * Double(sign: .plus, exponent: rng.int(0...20), significand: 1)
            default:  // subnormals and the lowest normals
                d = Double(bitPattern: rng.next() >> UInt64(rng.int(11...63)))
            }
            guard d.isFinite && d > 0 else { continue }
            let m: UInt64, e: Int
            if d.exponentBitPattern == 0 {
                (m, e) = (d.significandBitPattern, -1074)
            } else {
                (m, e) = (d.significandBitPattern | 1 << 52, Int(d.exponentBitPattern) - 1075)
            }
            for (digits, exp10) in npMidpointVariants(m: m, e: e) {
                cmp.check(npRender(negative: rng.chance(0.3), digits: digits, exp10: exp10, rng: &rng))
            }
        }
        // The overflow threshold DBL_MAX + ulp/2 (ties to "even" = infinity) and its neighbours.
        let top = Double.greatestFiniteMagnitude
        for (digits, exp10) in npMidpointVariants(m: top.significandBitPattern | 1 << 52, e: Int(top.exponentBitPattern) - 1075) {
            cmp.check(npRender(negative: false, digits: digits, exp10: exp10, rng: &rng))
        }
        cmp.report(minimumTokens: 11_000)
    }

    @Test("Exact halfway cases between adjacent floats, and just below / above")
    func floatHalfwayCases() {
        var rng = NumberParsingRNG(seed: 0x5EED_0007)
        var cmp = NumberParsingComparison()
        for k in 0..<5_000 {
            let f: Float
            switch k % 3 {
            case 0: f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7F7F_FFFF)
            case 1: f = Float(bitPattern: (UInt32(rng.int(127 - 20...127 + 30)) << 23) | UInt32(truncatingIfNeeded: rng.next() >> 41))
            default: f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next() >> UInt64(rng.int(41...63))))
            }
            guard f.isFinite && f > 0 else { continue }
            let m: UInt64, e: Int
            if f.exponentBitPattern == 0 {
                (m, e) = (UInt64(f.significandBitPattern), -149)
            } else {
                (m, e) = (UInt64(f.significandBitPattern) | 1 << 23, Int(f.exponentBitPattern) - 150)
            }
            for (digits, exp10) in npMidpointVariants(m: m, e: e) {
                cmp.check(npRender(negative: rng.chance(0.3), digits: digits, exp10: exp10, rng: &rng))
            }
        }
        cmp.report(minimumTokens: 14_000)
    }

    @Test("Long random digit strings (20–800 digits)")
    func longRandomDigitStrings() {
        var rng = NumberParsingRNG(seed: 0x5EED_0008)
        var cmp = NumberParsingComparison()
        while cmp.tokens < 3_000 {
            let n = rng.int(20...800)
            var digits = (0..<n).map { _ in rng.digit() }
            digits[0] = rng.nonZeroDigit()
            if rng.chance(0.5) {  // long runs of zeros or nines after a short prefix
                let fill: UInt8 = rng.chance(0.5) ? 0x30 : 0x39
                for k in rng.int(1...min(n, 25))..<n { digits[k] = fill }
                if rng.chance(0.5) { digits[n - 1] = rng.nonZeroDigit() }
            }
            let lead = rng.int(-330...312)
            cmp.check(npRender(negative: rng.chance(0.5), digits: digits, exp10: lead - (n - 1), rng: &rng))
        }
        cmp.report(minimumTokens: 3_000)
    }
}

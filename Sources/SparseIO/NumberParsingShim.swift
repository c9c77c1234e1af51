#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// TEMPORARY: a strtod-based stand-in with the signature of the exact fast parser being written in
// NumberParsing.swift. Deleted when that file lands.

/// Decimal number parsing on byte ranges (stand-in implementation).
enum NumberParsing {
    /// Whether `base[start..<end]` is `[+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?`.
    static func _isDecimal(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var p = start
        if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
        var digits = 0
        while p < end && base[p] &- 48 < 10 { p += 1; digits += 1 }
        if p < end && base[p] == UInt8(ascii: ".") {
            p += 1
            while p < end && base[p] &- 48 < 10 { p += 1; digits += 1 }
        }
        if digits == 0 { return false }
        if p < end && (base[p] | 0x20) == UInt8(ascii: "e") {
            p += 1
            if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
            var e = 0
            while p < end && base[p] &- 48 < 10 { p += 1; e += 1 }
            if e == 0 { return false }
        }
        return p == end
    }

    static func _withCString<R>(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                                _ body: (UnsafePointer<CChar>) -> R) -> R {
        let n = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
            for k in 0..<n { buf[k] = CChar(bitPattern: base[start + k]) }
            buf[n] = 0
            return body(buf.baseAddress!)
        }
    }

    static func parseDouble(base: UnsafePointer<UInt8>, start: Int, end: Int) -> Double? {
        guard _isDecimal(base, start, end) else { return nil }
        return _withCString(base, start, end) { strtod($0, nil) }
    }

    static func parseFloat(base: UnsafePointer<UInt8>, start: Int, end: Int) -> Float? {
        guard _isDecimal(base, start, end) else { return nil }
        return _withCString(base, start, end) { strtof($0, nil) }
    }
}

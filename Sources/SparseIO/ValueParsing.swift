import SparseCore

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Float16: _MatrixMarketValue {
    /// Rounded through `Double` (the decimal is first correctly rounded to `Double`): this can differ from
    /// correct rounding by one unit in the last place only when the decimal lies within half a `Double` ulp
    /// of a halfway point between two `Float16` values.
    @inline(__always)
    static func _parseDecimal(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Float16? {
        NumberParsing.parseDouble(base, start, end).map { Float16($0) }
    }
}
#endif

/// A scalar the MatrixMarket parser reads directly from decimal text, correctly rounded.
protocol _MatrixMarketValue: SparseScalar {
    /// The correctly rounded value of the decimal `base[start..<end]`, or `nil` if it is not one in full.
    /// A finite decimal beyond the type's range may come back infinite.
    static func _parseDecimal(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Self?
}

extension Double: _MatrixMarketValue {
    @inline(__always)
    static func _parseDecimal(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        NumberParsing.parseDouble(base, start, end)
    }
}

extension Float: _MatrixMarketValue {
    @inline(__always)
    static func _parseDecimal(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Float? {
        NumberParsing.parseFloat(base, start, end)
    }
}

/// The value of a `real` or `double` token that the fast path did not accept: `nan`, `inf` and `infinity`
/// (any case, optional sign) are read as such; a finite decimal too large for `V` and anything that is not a
/// decimal number in full are errors.
@inline(never)
func _parseRealSlowPath<V: _MatrixMarketValue>(
    _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, line: Int
) throws(MatrixMarketError) -> V {
    var p = start
    var negative = false
    if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) {
        negative = base[p] == UInt8(ascii: "-")
        p += 1
    }
    if _equalsIgnoringCase(base, p..<end, "nan") { return negative ? -V.nan : V.nan }
    if _equalsIgnoringCase(base, p..<end, "inf") || _equalsIgnoringCase(base, p..<end, "infinity") {
        return negative ? -V.infinity : V.infinity
    }
    let token = _errorExcerpt(base, start, end)
    if let v = V._parseDecimal(base, start, end) {
        if v.isFinite { return v }
        throw MatrixMarketError(line: line, .valueOutOfRange(token: token, scalarType: V.scalarName))
    }
    throw MatrixMarketError(line: line, .notANumber(token: token, expected: .real))
}

/// The value of an `integer` token: `[+-]?[0-9]+` of any length, correctly rounded to `V` (exact up to
/// 2^53 for Double and 2^24 for Float). Anything else, `1.5` and `1e3` included, is an error, and so is an
/// integer beyond `V`'s finite range.
@inline(never)
func _parseIntegerValue<V: _MatrixMarketValue>(
    _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, line: Int
) throws(MatrixMarketError) -> V {
    var p = start
    if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
    let digitsStart = p
    while p < end && base[p] &- 0x30 < 10 { p += 1 }
    guard p == end, p > digitsStart, let v = V._parseDecimal(base, start, end) else {
        throw MatrixMarketError(line: line, .notANumber(token: _errorExcerpt(base, start, end), expected: .integer))
    }
    guard v.isFinite else {
        throw MatrixMarketError(line: line, .valueOutOfRange(token: _errorExcerpt(base, start, end), scalarType: V.scalarName))
    }
    return v
}

/// A row or column index token of more than 18 digits, parsed with overflow checks; `nil` when it does not
/// fit `Int` (then it is out of range of any declared size).
@inline(never)
func _parseLongIndex(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
    var v = 0
    for k in start..<end {
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(Int(base[k] &- 0x30))
        if o1 || o2 { return nil }
        v = s
    }
    return v
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The banner and size line of a file, and where its data starts.
struct _ParsedHeader {
    var header: MatrixMarketHeader
    /// The byte offset of the first byte after the size line (its `\n` included).
    var dataStart: Int
    /// The number of lines up to and including the size line: the first data line is `lines + 1`.
    var lines: Int
    /// The fewest bytes one entry line can take, its newline included.
    var minimumEntryBytes: Int
}

@inline(__always) func _isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }

/// The end of the line starting at `p`: the offset of its `\n`, or `end`.
@inline(__always)
func _lineEnd(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) -> Int {
    guard p < end else { return end }
    guard let hit = memchr(base + p, 0x0A, end - p) else { return end }
    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
}

/// The tokens (runs of non-blank bytes) of `base[start..<end]`, as ranges.
func _tokens(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> [Range<Int>] {
    var result = [Range<Int>]()
    var p = start
    while p < end {
        while p < end && _isBlank(base[p]) { p += 1 }
        if p == end { break }
        let s = p
        while p < end && !_isBlank(base[p]) { p += 1 }
        result.append(s..<p)
    }
    return result
}

/// Whether `base[range]` equals `word` in ASCII, ignoring case (`word` is lower-case).
func _equalsIgnoringCase(_ base: UnsafePointer<UInt8>, _ range: Range<Int>, _ word: StaticString) -> Bool {
    guard range.count == word.utf8CodeUnitCount else { return false }
    let w = word.utf8Start
    for k in 0..<range.count {
        var b = base[range.lowerBound + k]
        if b >= 0x41 && b <= 0x5A { b |= 0x20 }
        if b != w[k] { return false }
    }
    return true
}

/// The lower-cased ASCII text of a token.
func _lowercased(_ base: UnsafePointer<UInt8>, _ range: Range<Int>) -> String {
    _errorExcerpt(base, range.lowerBound, range.upperBound, limit: 60).lowercased()
}

/// Parses the banner, skips comments and blank lines, parses the size line and checks the declared entry
/// count against the bytes left in the file.
func _parseHeader(_ base: UnsafePointer<UInt8>, count n: Int) throws(MatrixMarketError) -> _ParsedHeader {
    // Banner, line 1.
    let bannerEnd = _lineEnd(base, 0, n)
    let words = _tokens(base, 0, bannerEnd)
    guard let first = words.first, _equalsIgnoringCase(base, first, "%%matrixmarket") else {
        throw MatrixMarketError(line: 1, .missingBanner(found: _errorExcerpt(base, 0, bannerEnd, limit: 60)))
    }
    guard words.count == 5 else { throw MatrixMarketError(line: 1, .malformedBanner(wordCount: words.count)) }
    guard _equalsIgnoringCase(base, words[1], "matrix") else {
        throw MatrixMarketError(line: 1, .unknownWord(.object, found: _errorExcerpt(base, words[1].lowerBound, words[1].upperBound)))
    }
    func word<T: RawRepresentable & CaseIterable>(_ k: Int, _ which: MatrixMarketError.BannerWord, _: T.Type)
        throws(MatrixMarketError) -> T where T.RawValue == String
    {
        let text = _lowercased(base, words[k])
        guard let value = T(rawValue: text) else {
            throw MatrixMarketError(line: 1, .unknownWord(which, found: _errorExcerpt(base, words[k].lowerBound, words[k].upperBound)))
        }
        return value
    }
    let format = try word(2, .format, MatrixMarketFormat.self)
    let field = try word(3, .field, MatrixMarketField.self)
    let symmetry = try word(4, .symmetry, MatrixMarketSymmetry.self)
    // Combinations the format does not define (the NIST mmio library's `mm_is_valid`).
    if field == .complex { throw MatrixMarketError(line: 1, .complexNotSupported) }
    if symmetry == .hermitian {
        throw MatrixMarketError(line: 1, .invalidCombination(reason: "hermitian symmetry requires the complex field, found \(field.rawValue)"))
    }
    if field == .pattern && format == .array {
        throw MatrixMarketError(line: 1, .invalidCombination(reason: "the pattern field requires the coordinate format"))
    }
    if field == .pattern && symmetry == .skewSymmetric {
        throw MatrixMarketError(line: 1, .invalidCombination(reason: "the pattern field cannot be skew-symmetric (its entries have no sign)"))
    }

    // Comments and blank lines, then the size line.
    var p = bannerEnd < n ? bannerEnd + 1 : n
    var line = 1
    while true {
        if p >= n { throw MatrixMarketError(line: line, .missingSizeLine) }
        line += 1
        let e = _lineEnd(base, p, n)
        var q = p
        while q < e && _isBlank(base[q]) { q += 1 }
        if q == e || base[q] == UInt8(ascii: "%") {
            p = e < n ? e + 1 : n
            if e >= n { throw MatrixMarketError(line: line, .missingSizeLine) }
            continue
        }
        let tokens = _tokens(base, p, e)
        let wanted = format == .coordinate ? 3 : 2
        var numbers = [Int]()
        for t in tokens {
            guard let v = _parseSizeNumber(base, t) else {
                if tokens.count == wanted && t.allSatisfy({ base[$0] &- 0x30 < 10 }) {
                    throw MatrixMarketError(line: line, .sizeNumberTooLarge(token: _errorExcerpt(base, t.lowerBound,
                                                                                                  t.upperBound, limit: 60)))
                }
                break
            }
            numbers.append(v)
        }
        guard tokens.count == wanted, numbers.count == wanted else {
            throw MatrixMarketError(line: line, .badSizeLine(format: format, found: _errorExcerpt(base, p, e, limit: 60)))
        }
        let rows = numbers[0], columns = numbers[1]
        if symmetry != .general && rows != columns {
            throw MatrixMarketError(line: line, .nonSquareSymmetric(rows: rows, columns: columns, symmetry: symmetry))
        }
        let entries: Int
        if format == .coordinate {
            entries = numbers[2]
        } else {
            let (product, overflow) = rows.multipliedReportingOverflow(by: columns)
            if overflow {
                throw MatrixMarketError(line: line, .shapeTooLarge(rows: rows, columns: columns, entries: Int.max, indexType: "Int"))
            }
            // n(n+1)/2 and n(n-1)/2 without overflow (n² is known to fit).
            switch symmetry {
            case .general: entries = product
            case .symmetric: entries = rows % 2 == 0 ? (rows / 2) * (rows + 1) : rows * ((rows + 1) / 2)
            case .skewSymmetric, .hermitian: entries = rows % 2 == 0 ? (rows / 2) * (rows - 1) : rows * ((rows - 1) / 2)
            }
        }
        let dataStart = e < n ? e + 1 : n
        let minimum = format == .array ? 2 : (field == .pattern ? 4 : 6)
        let remaining = n - dataStart
        // The last entry line may lack its newline.
        let capacity = remaining == 0 ? 0 : (remaining + 1) / minimum
        if entries > capacity {
            // Too few bytes for the declared entries: say why from the data itself, before anything is sized
            // by the count.
            let (tokens, layout) = format == .array ? (1, "value")
                : (field == .pattern ? (2, "row, column") : (3, "row, column, value"))
            throw _shortDataError(base, from: dataStart, count: n, sizeLine: line, declared: entries,
                                  tokensPerLine: tokens, layout: layout)
        }
        let header = MatrixMarketHeader(format: format, field: field, symmetry: symmetry, rows: rows,
                                        columns: columns, entries: entries)
        return _ParsedHeader(header: header, dataStart: dataStart, lines: line, minimumEntryBytes: minimum)
    }
}

/// Why a data section holds fewer entries than its size line declares, found in one pass that allocates
/// nothing sized by the count: the first entry line with the wrong number of tokens, or else the number of
/// entry lines there are (blank and `%` lines skipped), at the last line.
func _shortDataError(_ base: UnsafePointer<UInt8>, from start: Int, count n: Int, sizeLine: Int, declared: Int,
                     tokensPerLine: Int, layout: String) -> MatrixMarketError {
    var p = start, line = sizeLine, found = 0
    while p < n {
        let e = _lineEnd(base, p, n)
        line += 1
        var q = p
        while q < e && _isBlank(base[q]) { q += 1 }
        if q < e && base[q] != UInt8(ascii: "%") {
            var tokens = 0
            while q < e {
                tokens += 1
                while q < e && !_isBlank(base[q]) { q += 1 }
                while q < e && _isBlank(base[q]) { q += 1 }
            }
            if tokens != tokensPerLine {
                return MatrixMarketError(line: line, .wrongTokenCount(expected: tokensPerLine, found: tokens,
                                                                      layout: layout))
            }
            found += 1
        }
        p = e + 1
    }
    return MatrixMarketError(line: line, .tooFewEntries(expected: declared, found: found))
}

/// A size-line number: ASCII digits only, fitting `Int`.
private func _parseSizeNumber(_ base: UnsafePointer<UInt8>, _ range: Range<Int>) -> Int? {
    var v = 0
    for k in range {
        let d = base[k] &- 0x30
        guard d < 10 else { return nil }
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(Int(d))
        if o1 || o2 { return nil }
        v = s
    }
    return range.isEmpty ? nil : v
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SparseCore

/// What every chunk of a coordinate file's data needs to know from its header.
struct _CoordinateContext: Sendable {
    let rows: Int
    let columns: Int
    let field: MatrixMarketField
    let symmetry: MatrixMarketSymmetry
    /// Accept (and mirror) entries above the diagonal of a symmetric or skew-symmetric file.
    let acceptUpperTriangle: Bool

    var tokensPerLine: Int { field == .pattern ? 2 : 3 }
    var tokenLayout: String { field == .pattern ? "row, column" : "row, column, value" }
}

/// Three parallel arrays a chunk parses into: either a window of the final buffers (fixed capacity) or
/// memory of its own that grows.
struct _EntrySink<V: BitwiseCopyable, I: BitwiseCopyable>: @unchecked Sendable {
    var rows: UnsafeMutablePointer<I>
    var columns: UnsafeMutablePointer<I>
    var values: UnsafeMutablePointer<V>
    var capacity: Int
    let owned: Bool

    /// A window onto memory owned elsewhere; never grows.
    init(rows: UnsafeMutablePointer<I>, columns: UnsafeMutablePointer<I>, values: UnsafeMutablePointer<V>,
         capacity: Int)
    {
        self.rows = rows
        self.columns = columns
        self.values = values
        self.capacity = capacity
        self.owned = false
    }

    /// Memory of its own for `capacity` entries, grown on demand.
    init(ownedCapacity capacity: Int) {
        let c = Swift.max(capacity, 16)
        rows = _allocateLarge(I.self, c)
        columns = _allocateLarge(I.self, c)
        values = _allocateLarge(V.self, c)
        self.capacity = c
        owned = true
    }

    /// Doubles the capacity, keeping the first `count` entries.
    @inline(never)
    mutating func grow(keeping count: Int) {
        precondition(owned, "a fixed entry window cannot grow")
        let c = capacity * 2
        let r = _allocateLarge(I.self, c)
        let k = _allocateLarge(I.self, c)
        let v = _allocateLarge(V.self, c)
        r.update(from: rows, count: count)
        k.update(from: columns, count: count)
        v.update(from: values, count: count)
        release()
        rows = r
        columns = k
        values = v
        capacity = c
    }

    /// Frees owned memory (a no-op for a window).
    func release() {
        guard owned else { return }
        rows.deallocate()
        columns.deallocate()
        values.deallocate()
    }
}

/// Memory for `count` elements; from 4 MiB up, aligned to 2 MiB and advised for transparent huge pages, so
/// that filling it costs a few hundred page faults rather than thousands.
func _allocateLarge<T>(_: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
    let bytes = count * MemoryLayout<T>.stride
    if bytes >= 4 << 20 {
        let p = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 2 << 20)
        #if os(Linux)
        _ = madvise(p, bytes & ~((2 << 20) - 1), MADV_HUGEPAGE)
        #endif
        return p.bindMemory(to: T.self, capacity: count)
    }
    return UnsafeMutablePointer<T>.allocate(capacity: count)
}

/// What a chunk found: its entries, how many lie on the diagonal, and how many lines it spans.
struct _ChunkOutcome: Sendable {
    var count = 0
    var diagonal = 0
    var lines = 0
}

/// Parses the entry lines of `base[start..<end]` into `sink`.
///
/// Requires `start == end` or `base[end - 1] == '\n'`: every line of the region ends with a newline, which
/// stops every scan, so the loop needs no bounds checks. Errors carry line numbers counted from the
/// region's first line (1); the caller adds the lines before it. At most `limit` entries are accepted: the
/// next entry line throws ``MatrixMarketError/Kind/tooManyEntries(expected:)``.
func _parseCoordinateChunk<V: _MatrixMarketValue, I: SparseIndex>(
    _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
    _ context: _CoordinateContext, limit: Int, declared: Int, sink: inout _EntrySink<V, I>
) throws(MatrixMarketError) -> _ChunkOutcome {
    let rowCount = context.rows, columnCount = context.columns
    let hasValue = context.field != .pattern
    let isInteger = context.field == .integer
    let general = context.symmetry == .general
    let skew = context.symmetry == .skewSymmetric
    let acceptUpper = context.acceptUpperTriangle
    var rp = sink.rows, cp = sink.columns, vp = sink.values
    var capacity = sink.capacity
    var p = start
    var line = 0
    var count = 0
    var diagonal = 0

    while p < end {
        line &+= 1
        let lineStart = p
        var b = base[p]
        while _isBlank(b) { p &+= 1; b = base[p] }
        if b == 0x0A { p &+= 1; continue }                             // blank line
        if b == 0x25 { p = _lineEnd(base, p, end) &+ 1; continue }     // % comment
        if count == limit { throw MatrixMarketError(line: line, .tooManyEntries(expected: declared)) }

        // Row index.
        let rowStart = p
        var row = _scanDigits(base, &p, end)
        b = base[p]
        if !_isBlank(b) {
            throw _entryLineError(base, lineStart, rowStart, end, line, context)
        }
        if p &- rowStart > 18 { row = _parseLongIndex(base, rowStart, p) ?? Int.max }
        if row < 1 || row > rowCount {
            throw MatrixMarketError(line: line, .indexOutOfRange(.row, token: _errorExcerpt(base, rowStart, p), size: rowCount))
        }
        while _isBlank(b) { p &+= 1; b = base[p] }

        // Column index.
        let columnStart = p
        var column = _scanDigits(base, &p, end)
        b = base[p]
        if !_isBlank(b) && !(b == 0x0A && !hasValue) || p == columnStart {
            throw _entryLineError(base, lineStart, columnStart, end, line, context)
        }
        if p &- columnStart > 18 { column = _parseLongIndex(base, columnStart, p) ?? Int.max }
        if column < 1 || column > columnCount {
            throw MatrixMarketError(line: line, .indexOutOfRange(.column, token: _errorExcerpt(base, columnStart, p), size: columnCount))
        }

        // Value.
        var value: V = 1
        var valueStart = p
        if hasValue {
            while _isBlank(b) { p &+= 1; b = base[p] }
            valueStart = p
            p = _tokenEnd(base, p, end)
            b = base[p]
            if p == valueStart { throw _entryLineError(base, lineStart, valueStart, end, line, context) }
            if isInteger {
                value = try _parseIntegerValue(base, valueStart, p, line: line)
            } else if let v = V._parseDecimal(base, valueStart, p), v.isFinite {
                value = v
            } else {
                value = try _parseRealSlowPath(base, valueStart, p, line: line)
            }
        }
        let valueEnd = p

        // Nothing but blanks may follow.
        while _isBlank(b) { p &+= 1; b = base[p] }
        if b != 0x0A { throw _entryLineError(base, lineStart, p, end, line, context) }
        p &+= 1

        if !general {
            if row < column {
                if !acceptUpper {
                    throw MatrixMarketError(line: line, .upperTriangleEntry(row: row, column: column, symmetry: context.symmetry))
                }
            } else if row == column {
                diagonal &+= 1
                if skew && value != 0 {
                    throw MatrixMarketError(line: line, .nonzeroSkewDiagonal(index: row, token: _errorExcerpt(base, valueStart, valueEnd)))
                }
            }
        }

        if count == capacity {
            sink.grow(keeping: count)
            rp = sink.rows; cp = sink.columns; vp = sink.values; capacity = sink.capacity
        }
        rp[count] = I(truncatingIfNeeded: row &- 1)
        cp[count] = I(truncatingIfNeeded: column &- 1)
        vp[count] = value
        count &+= 1
    }
    return _ChunkOutcome(count: count, diagonal: diagonal, lines: line)
}

/// Reads the run of ASCII digits at `p` (advancing `p` past it) and returns its value, wrapping past 18
/// digits (the caller re-reads such runs with overflow checks). Runs of up to 7 digits take one 8-byte load
/// and no data-dependent loop. Requires a newline at or before `end - 1` past `p`.
@inline(__always)
func _scanDigits(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ end: Int) -> Int {
    if p &+ 8 <= end {
        let x = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)) ^ 0x3030_3030_3030_3030
        // High bit set in each byte that is not a digit (digits became 0...9); exact per byte.
        let nonDigit = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080
        if nonDigit != 0 {
            let n = nonDigit.trailingZeroBitCount >> 3
            let bits = UInt64(truncatingIfNeeded: n &* 8)
            let run = x & ((1 &<< bits) &- 1)
            p &+= n
            return Int(truncatingIfNeeded: NumberParsing._parseEightDigitValues(run &<< (64 &- bits)))
        }
    }
    var v = 0
    var d = base[p] &- 0x30
    while d < 10 { v = v &* 10 &+ Int(d); p &+= 1; d = base[p] &- 0x30 }
    return v
}

/// The position of the first byte at or after `p` that is at most 0x20 (a blank, a newline, or a control
/// byte, which the caller then rejects), eight bytes at a time. Requires a newline at or before `end - 1`.
@inline(__always)
func _tokenEnd(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
    var p = start
    while p &+ 8 <= end {
        let x = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
        // High bit set in the bytes below 0x21; borrows only disturb bytes above the first such byte.
        let low = (x &- 0x2121_2121_2121_2121) & ~x & 0x8080_8080_8080_8080
        if low != 0 { return p &+ (low.trailingZeroBitCount >> 3) }
        p &+= 8
    }
    while base[p] > 0x20 { p &+= 1 }
    return p
}

/// The error for an entry line that broke off or went on at `tokenStart`: the wrong number of tokens if the
/// line has too few or too many, otherwise the token that is not a number.
@inline(never)
func _entryLineError(
    _ base: UnsafePointer<UInt8>, _ lineStart: Int, _ tokenStart: Int, _ end: Int, _ line: Int,
    _ context: _CoordinateContext
) -> MatrixMarketError {
    let lineEnd = _lineEnd(base, lineStart, end)
    let tokens = _tokens(base, lineStart, lineEnd)
    if tokens.count != context.tokensPerLine {
        return MatrixMarketError(line: line, .wrongTokenCount(expected: context.tokensPerLine, found: tokens.count,
                                                              layout: context.tokenLayout))
    }
    // The right count, so the token at `tokenStart` holds a byte that does not belong in a number.
    let token = tokens.first { $0.contains(tokenStart) || $0.lowerBound >= tokenStart } ?? tokens[tokens.count - 1]
    let which = token == tokens[tokens.count - 1] && context.field != .pattern
        ? (context.field == .integer ? MatrixMarketError.Expected.integer : .real) : .index
    return MatrixMarketError(line: line, .notANumber(token: _errorExcerpt(base, token.lowerBound, token.upperBound), expected: which))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
import SparseCore

/// A region of entry lines to parse: `base[start..<end]`, ending with a newline.
private struct _Chunk: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let start: Int
    let end: Int
}

/// Runs `body(k)` for every `k` in `0..<count` on up to `threads` threads, each taking the next index as
/// it finishes one (so a thread slowed by other work on the machine takes fewer).
func _parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    if threads <= 1 || count <= 1 {
        for k in 0..<count { body(k) }
        return
    }
    let next = _Counter()
    DispatchQueue.concurrentPerform(iterations: Swift.min(threads, count)) { _ in
        while true {
            let k = next.value.add(1, ordering: .relaxed).oldValue
            if k >= count { return }
            body(k)
        }
    }
}

/// A shared atomic counter.
private final class _Counter: Sendable {
    let value = Atomic<Int>(0)
}

/// The parsed chunks of a coordinate file: each chunk's entries (in its own memory, or in a window of the
/// result) and what it counted. Frees the chunks' own memory on deinit.
private final class _ParsedChunks<V: _MatrixMarketValue, I: SparseIndex>: @unchecked Sendable {
    let chunks: [_Chunk]
    /// One slot per chunk, each written by one worker only (raw memory: no shared copy-on-write array).
    let sinks: UnsafeMutableBufferPointer<_EntrySink<V, I>>
    let outcomes: UnsafeMutableBufferPointer<Result<_ChunkOutcome, MatrixMarketError>>

    init(chunks: [_Chunk], sinks: [_EntrySink<V, I>]) {
        self.chunks = chunks
        self.sinks = .allocate(capacity: chunks.count)
        _ = self.sinks.initialize(from: sinks)
        self.outcomes = .allocate(capacity: chunks.count)
        self.outcomes.initialize(repeating: .success(_ChunkOutcome()))
    }

    deinit {
        for s in sinks { s.release() }
        sinks.deinitialize().deallocate()
        outcomes.deinitialize().deallocate()
    }

    /// Copies every chunk kept in its own memory to its place in `target`, after the chunks before it.
    func gather(into target: _EntrySink<V, I>, threads: Int) {
        var offset = 0
        let offsets = chunks.indices.map { k in
            defer { if case .success(let o) = outcomes[k] { offset += o.count } }
            return offset
        }
        _parallelFor(chunks.count, threads: threads) { k in
            let s = self.sinks[k]
            guard s.owned, case .success(let o) = self.outcomes[k] else { return }
            (target.rows + offsets[k]).update(from: s.rows, count: o.count)
            (target.columns + offsets[k]).update(from: s.columns, count: o.count)
            (target.values + offsets[k]).update(from: s.values, count: o.count)
        }
    }
}

/// Reads the entry lines of a coordinate file into COO, on up to `threads` threads.
///
/// The data is cut into chunks at line boundaries; each chunk parses into its own arrays (the first chunk
/// of a general file straight into the result), counting its entries, diagonal entries and lines. The
/// chunks are then checked in file order: the first chunk that failed, or that brings the total past the
/// declared count, is parsed again alone with the exact remaining allowance, which reproduces the error a
/// serial reader would give, with its global line number. Symmetric and skew-symmetric files are then
/// expanded: the file's entries first, in file order, then the mirror of every off-diagonal entry (negated
/// for skew-symmetric files).
func _readCoordinate<V: _MatrixMarketValue, I: SparseIndex>(
    _ base: UnsafePointer<UInt8>, count n: Int, _ parsed: _ParsedHeader,
    threads: Int, options: MatrixMarketReadOptions
) throws(MatrixMarketError) -> COOMatrix<V, I> {
    let h = parsed.header
    let declared = h.entries
    do {
        try I.checkAddressable(rows: h.rows, columns: h.columns, entries: declared)
    } catch {
        throw MatrixMarketError(line: parsed.lines, .shapeTooLarge(rows: h.rows, columns: h.columns,
                                                                  entries: declared, indexType: I.indexName))
    }
    let context = _CoordinateContext(rows: h.rows, columns: h.columns, field: h.field, symmetry: h.symmetry,
                                     acceptUpperTriangle: options.upperTriangle == .mirror)

    // Every line of a chunk must end with a newline: the lines up to the last newline are split across
    // threads; an unterminated last line is copied and given one.
    let dataStart = parsed.dataStart
    var mainEnd = dataStart
    var scan = n
    while scan > dataStart && base[scan - 1] != 0x0A { scan -= 1 }
    if scan > dataStart { mainEnd = scan }
    let tail = UnsafeMutablePointer<UInt8>.allocate(capacity: n - mainEnd + 1)
    defer { tail.deallocate() }
    tail.update(from: base + mainEnd, count: n - mainEnd)
    tail[n - mainEnd] = 0x0A

    var chunks = [_Chunk]()
    let mainBytes = mainEnd - dataStart
    // Four chunks per thread, so that threads that finish early take more.
    let wanted = threads > 1 ? threads * 4 : 1
    let pieces = Swift.max(1, Swift.min(wanted, mainBytes / Swift.max(1, options._minimumChunkBytes)))
    var cut = dataStart
    for k in 1...pieces {
        var next = mainEnd
        if k < pieces {
            let target = dataStart + Int(Double(mainBytes) * Double(k) / Double(pieces))
            next = Swift.min(_lineEnd(base, Swift.max(target - 1, cut), mainEnd) + 1, mainEnd)
        }
        chunks.append(_Chunk(base: base, start: cut, end: next))
        cut = next
    }
    if n > mainEnd { chunks.append(_Chunk(base: tail, start: 0, end: n - mainEnd + 1)) }

    let bytesPerEntry = declared > 0 ? Double(n - dataStart) / Double(declared) : 1
    func estimate(_ c: _Chunk) -> Int {
        Swift.min(declared, Int(Double(c.end - c.start) / Swift.max(bytesPerEntry, 1) * 1.05) + 64)
    }

    /// Parses every chunk (into its window where `windows` gives one, else into memory of its own), then
    /// checks them in order.
    func parseChunks(windows: [_EntrySink<V, I>?], prefaulted: Bool = false) throws(MatrixMarketError)
        -> (_ParsedChunks<V, I>, diagonal: Int)
    {
        let state = _ParsedChunks<V, I>(chunks: chunks, sinks: chunks.indices.map { k in
            windows[k] ?? _EntrySink(ownedCapacity: estimate(chunks[k]))
        })
        _parallelFor(chunks.count, threads: threads) { k in
            let c = state.chunks[k]
            if !prefaulted { _prefault(c.base + c.start, c.end - c.start) }
            var sink = state.sinks[k]
            do throws(MatrixMarketError) {
                let o = try _parseCoordinateChunk(c.base, c.start, c.end, context, limit: declared,
                                                  declared: declared, sink: &sink)
                state.outcomes[k] = .success(o)
            } catch {
                state.outcomes[k] = .failure(error)
            }
            state.sinks[k] = sink
        }
        var before = 0, linesBefore = parsed.lines, diagonal = 0
        for k in chunks.indices {
            if case .success(let o) = state.outcomes[k], before + o.count <= declared {
                before += o.count
                linesBefore += o.lines
                diagonal += o.diagonal
                continue
            }
            // Parse this chunk again with the exact allowance: its first error is the file's.
            let c = chunks[k]
            var scratch = _EntrySink<V, I>(ownedCapacity: Swift.min(declared - before, estimate(c)))
            defer { scratch.release() }
            do {
                _ = try _parseCoordinateChunk(c.base, c.start, c.end, context, limit: declared - before,
                                              declared: declared, sink: &scratch)
            } catch {
                throw MatrixMarketError(line: error.line.map { $0 + linesBefore }, error.kind)
            }
            preconditionFailure("a chunk that failed once parsed without error")
        }
        if before < declared {
            throw MatrixMarketError(line: linesBefore, .tooFewEntries(expected: declared, found: before))
        }
        return (state, diagonal)
    }

    if h.symmetry == .general {
        // When the chunks hold exactly `declared` lines (no blank or comment lines among the entries, the
        // usual case), chunk k's entries belong right after the lines of the chunks before it: every chunk
        // then parses straight into its window of the result, and nothing is copied afterwards.
        var lineCounts = [Int](repeating: 0, count: chunks.count)
        if chunks.count > 1 {
            lineCounts.withUnsafeMutableBufferPointer { counts in
                let out = _SendablePointer(counts.baseAddress!)
                let list = chunks
                _parallelFor(list.count, threads: threads) { k in
                    let c = list[k]
                    _prefault(c.base + c.start, c.end - c.start)
                    out.pointer[k] = _countNewlines(c.base, c.start, c.end)
                }
            }
        }
        let direct = chunks.count > 1 && lineCounts.reduce(0, +) == declared
        var isCanonical = false
        let (r, c, v) = try _makeBuffers(count: declared) {
            (rp: UnsafeMutablePointer<I>, cp: UnsafeMutablePointer<I>, vp: UnsafeMutablePointer<V>) throws(MatrixMarketError) in
            let window = _EntrySink(rows: rp, columns: cp, values: vp, capacity: declared)
            var windows: [_EntrySink<V, I>?] = Array(repeating: nil, count: chunks.count)
            windows[0] = window
            if direct {
                var offset = 0
                for k in chunks.indices {
                    windows[k] = _EntrySink(rows: rp + offset, columns: cp + offset, values: vp + offset,
                                            capacity: lineCounts[k])
                    offset += lineCounts[k]
                }
            }
            let (state, _) = try parseChunks(windows: windows, prefaulted: chunks.count > 1)
            state.gather(into: window, threads: threads)
            isCanonical = _isRowMajorCanonical(rp, cp, count: declared)
        }
        return COOMatrix(uncheckedRows: h.rows, columns: h.columns, rowIndices: r, columnIndices: c, values: v,
                         isCanonical: isCanonical)
    }

    let (state, diagonal) = try parseChunks(windows: Array(repeating: nil, count: chunks.count))
    let expanded = declared + (declared - diagonal)
    do {
        try I.checkAddressable(rows: h.rows, columns: h.columns, entries: expanded)
    } catch {
        throw MatrixMarketError(line: parsed.lines, .shapeTooLarge(rows: h.rows, columns: h.columns,
                                                                  entries: expanded, indexType: I.indexName))
    }
    let negate = h.symmetry == .skewSymmetric
    let (r, c, v) = _makeBuffers(count: expanded) {
        (rp: UnsafeMutablePointer<I>, cp: UnsafeMutablePointer<I>, vp: UnsafeMutablePointer<V>) in
        state.gather(into: _EntrySink(rows: rp, columns: cp, values: vp, capacity: expanded), threads: threads)
        var w = declared
        for k in 0..<declared where rp[k] != cp[k] {
            rp[w] = cp[k]
            cp[w] = rp[k]
            vp[w] = negate ? -vp[k] : vp[k]
            w &+= 1
        }
    }
    return COOMatrix(uncheckedRows: h.rows, columns: h.columns, rowIndices: r, columnIndices: c, values: v)
}

/// A pointer that workers of a parallel loop write through, each at its own index.
struct _SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// The number of newline bytes in `base[start..<end]`, sixteen bytes at a time (byte counters in a vector,
/// summed every 255 blocks before they can wrap).
func _countNewlines(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
    var p = start
    var n = 0
    let newline = SIMD16<UInt8>(repeating: 0x0A)
    while p &+ 16 <= end {
        var counts = SIMD16<UInt8>()
        var blocks = 0
        while blocks < 255 && p &+ 16 <= end {
            let v = UnsafeRawPointer(base + p).loadUnaligned(as: SIMD16<UInt8>.self)
            // A true lane of the mask is all ones (255): subtracting it adds 1.
            counts &-= unsafeBitCast(v .== newline, to: SIMD16<UInt8>.self)
            p &+= 16
            blocks &+= 1
        }
        n &+= Int(SIMD16<UInt16>(truncatingIfNeeded: counts).wrappedSum())
    }
    while p < end {
        if base[p] == 0x0A { n &+= 1 }
        p &+= 1
    }
    return n
}

/// Three buffers of `count` elements that `body` initialises in full through their base pointers.
func _makeBuffers<A: BitwiseCopyable, B: BitwiseCopyable, C: BitwiseCopyable, E: Error>(
    count: Int,
    _ body: (UnsafeMutablePointer<A>, UnsafeMutablePointer<B>, UnsafeMutablePointer<C>) throws(E) -> Void
) throws(E) -> (SparseBuffer<A>, SparseBuffer<B>, SparseBuffer<C>) {
    var b = SparseBuffer<B>(), c = SparseBuffer<C>()
    let a = try SparseBuffer<A>(unsafeUninitializedCount: count) { (pa) throws(E) in
        b = try SparseBuffer<B>(unsafeUninitializedCount: count) { (pb) throws(E) in
            c = try SparseBuffer<C>(unsafeUninitializedCount: count) { (pc) throws(E) in
                try body(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
            }
        }
    }
    return (a, b, c)
}

/// Whether the entries are sorted by row, then column, with no repeated position.
func _isRowMajorCanonical<I: SparseIndex>(_ rp: UnsafePointer<I>, _ cp: UnsafePointer<I>, count: Int) -> Bool {
    guard count > 1 else { return true }
    for k in 1..<count {
        let r0 = rp[k &- 1], r1 = rp[k]
        if r1 < r0 || (r1 == r0 && cp[k] <= cp[k &- 1]) { return false }
    }
    return true
}

import SparseCore

// Dense operands of SpMM in the form the kernels read them: element (i, j) of X at `x[i·ldx + j]` (row-major,
// each right-hand-side row contiguous), and element (i, j) of Y at `y[i·rowStride + j·columnStride]`.
// A column-major X with more than one column is packed once into a row-major copy: the kernels fetch a whole
// row of X per stored entry, and a column-major X would cost one cache line per element instead of one per
// eight. The copy is O(n·k), the product O(nnz·k).

/// A strided output block: element (i, j) at `base[i·rowStride + j·columnStride]`.
@frozen @usableFromInline
struct _Output<T>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<T>
    @usableFromInline let rowStride: Int
    @usableFromInline let columnStride: Int

    @inlinable init(base: UnsafeMutablePointer<T>, rowStride: Int, columnStride: Int) {
        self.base = base
        self.rowStride = rowStride
        self.columnStride = columnStride
    }

    /// The same output from column `j` on.
    @inlinable func shifted(columns j: Int) -> _Output {
        _Output(base: base + j &* columnStride, rowStride: rowStride, columnStride: columnStride)
    }

    @inlinable init(_ v: MutableDenseMatrixView<T>) {
        self.base = v.baseAddress
        if v.layout == .rowMajor {
            (rowStride, columnStride) = (v.leadingDimension, 1)
        } else {
            (rowStride, columnStride) = (1, v.leadingDimension)
        }
    }
}

/// X and Y as plain vectors when both have one column stored contiguously (column-major, or row-major with
/// leading dimension 1), so that an SpMM with one right-hand side can run the SpMV kernel; nil otherwise.
@inlinable
func _contiguousVectors<T>(_ x: DenseMatrixView<T>, _ y: MutableDenseMatrixView<T>)
    -> (x: UnsafeBufferPointer<T>, y: UnsafeMutableBufferPointer<T>)?
{
    guard x.columns == 1, y.columns == 1, x.layout == .columnMajor || x.leadingDimension == 1,
          y.layout == .columnMajor || y.leadingDimension == 1 else { return nil }
    return (UnsafeBufferPointer(start: x.baseAddress, count: x.rows),
            UnsafeMutableBufferPointer(start: y.baseAddress, count: y.rows))
}

/// `Y[i, 0..<k] ← β·Y[i, 0..<k]` for the rows `rows` of an output (BLAS semantics for β = 0 and β = 1): the rows
/// an owner-computes scatter product's thread owns, before it adds into them.
@inlinable
func _scale<T: FloatingPoint>(_ out: _Output<T>, rows: Range<Int>, columns k: Int, by beta: T) {
    for i in rows { _scale(out.base + i &* out.rowStride, count: k, stride: out.columnStride, by: beta) }
}

/// Calls `body(x, ldx)` with X in row-major form: the caller's memory when it already is (or when X has one
/// column), otherwise a packed row-major copy made in parallel and freed afterwards. For kernels that read the
/// rows of X in order (the scatter products); gather products read X through ``_withGatherPanels``.
@inlinable
func _withRowMajor<T, R>(_ x: DenseMatrixView<T>, configuration: KernelConfiguration,
                         _ body: (UnsafePointer<T>, Int) -> R) -> R {
    if x.layout == .rowMajor { return body(x.baseAddress, x.leadingDimension) }
    if x.columns <= 1 { return body(x.baseAddress, 1) }
    let n = x.rows, k = x.columns
    let packed = UnsafeMutablePointer<T>(
        UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, n &* k &* MemoryLayout<T>.stride), alignment: 64)
            .bindMemory(to: T.self, capacity: n &* k))
    defer { UnsafeMutableRawPointer(packed).deallocate() }
    _packPanel(x, columns: 0..<k, into: packed, configuration: configuration)
    return body(UnsafePointer(packed), k)
}

/// Calls `body(x, ldx, columns)` with X in row-major form for a gather product (one that reads `gatheredRows`
/// rows of X at random), once for every panel of X's columns: `x[i·ldx + j]` is X[i, columns.lowerBound + j].
///
/// A row-major X is read in place (one call for all columns) unless ``_alignedCopyPays`` calls for a copy or
/// panels do: X's columns are then cut into panels, each packed line-aligned into one scratch block in turn,
/// and `body` streams the matrix once per panel; a panel then behaves like a narrow X (see the notes on large k
/// in `CSR+SpMM.swift`). Panels need X larger than ``KernelConfiguration/spmmPanelBytes`` and each row of X
/// read at least 20 times on average (`gatheredRows` ≥ 20·n; a banded matrix reads its few rows of X nearly in
/// order, and packing costs more than it saves). With `halfBlockPanels` (the row kernel, ``_spmmRow``: CSR's
/// A·X, CSC's Aᵀ·X) the panels have 128-byte rows (half an eight-vector register block: 16 Double or 32 Float
/// columns), and only when such a panel fits twice the budget; without (BSR's A·X, COO's), the widest multiple
/// of a register block (32 Double or 64 Float columns) within the budget, for an X wider than one block. A
/// column-major X is always packed: whole when it fits the budget, otherwise in those panels (of a register
/// block's width when 128-byte ones are not called for).
@inlinable
func _withGatherPanels<T: BitwiseCopyable>(
    _ x: DenseMatrixView<T>, gatheredRows: Int, halfBlockPanels: Bool = false, configuration: KernelConfiguration,
    _ body: (UnsafePointer<T>, Int, Range<Int>) -> Void
) {
    let n = x.rows, k = x.columns, stride = MemoryLayout<T>.stride
    if k <= 1 && x.layout == .columnMajor { return body(x.baseAddress, 1, 0..<k) }
    guard let width = _gatherPanelWidth(x, gatheredRows: gatheredRows, halfBlockPanels: halfBlockPanels,
                                        configuration: configuration) else {
        return body(x.baseAddress, x.leadingDimension, 0..<k)
    }
    let budget = configuration.spmmPanelBytes
    let ld = _packedLeadingDimension(width, stride: stride, rows: n, budget: budget)
    _columnPanels(k, width: width, scratchCount: n &* ld) { (panel: UnsafeMutablePointer<T>, columns) in
        let pw = columns.count
        let pld = pw == width ? ld : _packedLeadingDimension(pw, stride: stride, rows: n, budget: budget)
        _packPanel(x, columns: columns, into: panel, leadingDimension: pld, configuration: configuration)
        body(UnsafePointer(panel), pld, columns)
    }
}

/// The columns of one eight-vector SpMM register block of `T`: 64 for 4-byte scalars (Float), 32 otherwise.
@inlinable @inline(__always)
func _registerBlockColumns<T>(_: T.Type) -> Int {
    MemoryLayout<T>.stride <= 4 ? 64 : 32
}

/// How ``_withGatherPanels`` reads X: `nil` in place, otherwise the number of columns of each packed panel
/// (all of them for one packed copy). See ``_withGatherPanels`` for the rules.
@inlinable
func _gatherPanelWidth<T>(_ x: DenseMatrixView<T>, gatheredRows: Int, halfBlockPanels: Bool,
                          configuration: KernelConfiguration) -> Int? {
    let n = x.rows, k = x.columns, stride = MemoryLayout<T>.stride
    let block = _registerBlockColumns(T.self)
    let half = block / 2  // 128 bytes of a row
    let budget = configuration.spmmPanelBytes
    let fits = n &* k &* stride <= budget
    // Fewer reads (a banded matrix's rows of X, read nearly in order) pay less than packing costs.
    let manyReads = gatheredRows / 20 >= n
    if halfBlockPanels && !fits && manyReads && k > half && n &* half &* stride <= 2 &* budget { return half }
    // In place, unless register-block panels are called for: BSR's and COO's X read often, wider than a block.
    if x.layout == .rowMajor && (fits || !manyReads || k <= block || halfBlockPanels) {
        return _alignedCopyPays(x, gatheredRows: gatheredRows, configuration: configuration) ? k : nil
    }
    return fits ? k : Swift.max(block, budget / Swift.max(1, n &* stride) / block &* block)
}

/// Runs `body(scratch, columns)` for consecutive ranges of at most `width` of the columns `0..<k`, in order,
/// with one scratch block of `scratchCount` uninitialised elements for all of them.
@inlinable
func _columnPanels<T: BitwiseCopyable>(_ k: Int, width: Int, scratchCount: Int,
                                       _ body: (UnsafeMutablePointer<T>, Range<Int>) -> Void) {
    var scratch = SparseBuffer<T>(unsafeUninitializedCount: scratchCount) { _ in }
    scratch.withUnsafeMutableBufferPointer { sp in
        var j0 = 0
        while j0 < k {
            let j1 = Swift.min(k, j0 &+ width)
            body(sp.baseAddress!, j0..<j1)
            j0 = j1
        }
    }
}

/// The owner-computes frame of the scatter products (CSR's and BSR's Aᵀ·X, CSC's A·X, canonical COO's Aᵀ·X):
/// thread part `t` (of `parts`) owns output rows `ownedRows(t)`, scales them by β and adds its terms into them
/// with `body(t, y, columns)`, where `y` is the output for columns `columns` (`y.base` is column
/// `columns.lowerBound` of output row 0) and X's columns are to be read from `columns.lowerBound` on. `out` has
/// contiguous rows.
///
/// When Y is larger than four ``KernelConfiguration/spmmPanelBytes`` (32 MiB, beyond the last-level cache
/// the default is sized for) and wider than one eight-vector register block, its columns are cut into panels
/// of the widest multiple of a register block within twice that budget; each thread copies its rows of a
/// panel into a scratch block (scaled by β), adds into it, and copies them back, and the matrix is streamed
/// once per panel. Each output element gets the same terms in the same order either way. Measured (CSR Aᵀ·X,
/// n = 20000 at 1%, 2 threads, alternating in one process): Float64 k = 256 1.5×, k = 512 1.68×, Float32
/// k = 512 1.57×; panels for a Y of 10 to 20 MB (Float64 k = 64, Float32 k = 128) ran 0.8× and are not made.
@inlinable
func _ownerComputes<T: FloatingPoint & BitwiseCopyable>(
    _ out: _Output<T>, rows n: Int, columns k: Int, beta: T, parts: Int, ownedRows: (Int) -> Range<Int>,
    configuration: KernelConfiguration, _ body: (Int, _Output<T>, Range<Int>) -> Void
) {
    let stride = MemoryLayout<T>.stride
    let block = _registerBlockColumns(T.self)
    let budget = configuration.spmmPanelBytes
    guard k > block && n &* k &* stride / 4 > budget else {
        return _parallelFor(parts) { t in
            _scale(out, rows: ownedRows(t), columns: k, by: beta)
            body(t, out, 0..<k)
        }
    }
    let width = Swift.max(block, 2 &* budget / Swift.max(1, n &* stride) / block &* block)
    _columnPanels(k, width: width, scratchCount: n &* width) { (panel: UnsafeMutablePointer<T>, columns) in
        let j0 = columns.lowerBound, pw = columns.count
        _parallelFor(parts) { t in
            let owned = ownedRows(t)
            for i in owned {
                if beta == 0 {
                    (panel + i &* pw).update(repeating: 0, count: pw)
                } else {
                    (panel + i &* pw).update(from: out.base + (i &* out.rowStride &+ j0), count: pw)
                    _scale(panel + i &* pw, count: pw, stride: 1, by: beta)
                }
            }
            body(t, _Output(base: panel, rowStride: pw, columnStride: 1), columns)
            for i in owned {
                (out.base + (i &* out.rowStride &+ j0)).update(from: panel + i &* pw, count: pw)
            }
        }
    }
}

/// Calls `body(y, β)` with an output whose rows are contiguous (`columnStride == 1`). A column-major Y with
/// more than one column is replaced by a row-major scratch block that `body` fills with β = 0; it is then
/// added into Y as `Y ← scratch + β·Y`. Used by the scatter kernels (transposed products, CSC, COO), which
/// update whole rows of Y at random.
@inlinable
func _withRowMajorOutput<T: FloatingPoint>(_ y: MutableDenseMatrixView<T>, beta: T,
                                           configuration: KernelConfiguration,
                                           _ body: (_Output<T>, T) -> Void) {
    if y.layout == .rowMajor { return body(_Output(y), beta) }
    if y.columns <= 1 { return body(_Output(base: y.baseAddress, rowStride: 1, columnStride: 1), beta) }
    let m = y.rows, k = y.columns, ld = y.leadingDimension
    let scratch = UnsafeMutablePointer<T>(
        UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, m &* k &* MemoryLayout<T>.stride), alignment: 64)
            .bindMemory(to: T.self, capacity: m &* k))
    defer { UnsafeMutableRawPointer(scratch).deallocate() }
    body(_Output(base: scratch, rowStride: k, columnStride: 1), 0)
    let dst = y.baseAddress
    let parts = configuration._parts(work: m &* k / 4, limit: k)
    _parallelFor(parts) { t in
        for j in _evenRange(t, of: parts, count: k) {
            let column = dst + j &* ld
            if beta == 0 {
                for i in 0..<m { column[i] = scratch[i &* k &+ j] }
            } else {
                for i in 0..<m { column[i] = scratch[i &* k &+ j] + beta * column[i] }
            }
        }
    }
}

/// Copies columns `columns` of X into `panel`, row-major with leading dimension `leadingDimension`
/// (default `columns.count`; the padding past the columns is left unwritten), in parallel.
@inlinable
func _packPanel<T>(_ x: DenseMatrixView<T>, columns: Range<Int>, into panel: UnsafeMutablePointer<T>,
                   leadingDimension: Int? = nil, configuration: KernelConfiguration) {
    let n = x.rows, pw = columns.count, j0 = columns.lowerBound, ld = x.leadingDimension
    let pld = leadingDimension ?? pw
    let src = x.baseAddress
    let parts = configuration._parts(work: n &* pw / 4, limit: n)
    _parallelFor(parts) { t in
        let rows = _evenRange(t, of: parts, count: n)
        if x.layout == .rowMajor {
            for i in rows { (panel + i &* pld).update(from: src + (i &* ld &+ j0), count: pw) }
            return
        }
        // Column-major: 64-row tiles, reads down columns, writes within a few pages.
        var i0 = rows.lowerBound
        while i0 < rows.upperBound {
            let i1 = Swift.min(i0 &+ 64, rows.upperBound)
            for j in 0..<pw {
                let column = src + (j0 &+ j) &* ld
                for i in i0..<i1 { panel[i &* pld &+ j] = column[i] }
            }
            i0 = i1
        }
    }
}

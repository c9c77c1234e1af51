import SparseCore

// Products where each stored entry adds into the output at its minor index ("scatter"): CSR's Aᵀ·x and
// Aᵀ·X, CSC's A·x and A·X.
//
// Race-free and deterministic: the output elements (rows of Y) are split into one contiguous range per thread,
// and every thread walks all slices, finding by binary search the entries of each slice that fall in its range.
// An output element therefore receives its terms from one thread, in slice order, whatever the thread count:
// results are bitwise identical for 1 and for n threads. Against the gather product of the explicitly
// transposed matrix (CSR of Aᵀ) the terms are the same but summed in another order (one running sum here,
// several accumulators there), so the two agree to rounding, not bit for bit.

/// y[c·incy] ← α·Σ_{entries (i, c)} val·x[i·incx] + β·y[c·incy], for c in `0..<pattern.minorCount`. α ≠ 0.
@inlinable
func _scatterSpMV<S: SparseScalar, I: SparseIndex>(
    _ pattern: CompressedPattern<I>, _ values: SparseBuffer<S>, alpha: S.Arithmetic,
    x: UnsafePointer<S.Arithmetic>, incx: Int, beta: S.Arithmetic, y: UnsafeMutablePointer<S.Arithmetic>,
    incy: Int = 1, configuration: KernelConfiguration
) {
    let n = pattern.minorCount, m = pattern.majorCount
    if n == 0 { return }
    pattern.offsets.withUnsafeBufferPointer { off in
        pattern.indices.withUnsafeBufferPointer { idx in
            values.withUnsafeBufferPointer { val in
                let o = off.baseAddress!, ix = idx.baseAddress!, v = val.baseAddress!
                let parts = configuration._parts(work: val.count, limit: n)
                _parallelFor(parts) { t in
                    let owned = _evenRange(t, of: parts, count: n)
                    _scale(y + owned.lowerBound &* incy, count: owned.count, stride: incy, by: beta)
                    let (c0, c1) = (I(truncatingIfNeeded: owned.lowerBound), I(truncatingIfNeeded: owned.upperBound))
                    let whole = parts == 1
                    for i in 0..<m {
                        var s = Int(truncatingIfNeeded: o[i]), e = Int(truncatingIfNeeded: o[i &+ 1])
                        if s == e { continue }
                        if !whole {
                            s = _lowerBound(ix, s, e, c0)
                            e = _lowerBound(ix, s, e, c1)
                        }
                        let ax = alpha * x[i &* incx]
                        for p in s..<e {
                            let c = Int(truncatingIfNeeded: ix[p])
                            y[c &* incy] += ax * v[p].arithmetic
                        }
                    }
                }
            }
        }
    }
}

/// The first position in `lo..<hi` whose index is at least `target` (indices sorted).
@inlinable @inline(__always)
func _lowerBound<I: SparseIndex>(_ idx: UnsafePointer<I>, _ lo: Int, _ hi: Int, _ target: I) -> Int {
    var lo = lo, hi = hi
    while lo < hi {
        let mid = (lo &+ hi) >> 1
        if idx[mid] < target { lo = mid &+ 1 } else { hi = mid }
    }
    return lo
}

/// Y[c, :] ← α·Σ_{entries (i, c)} val·X[i, :] + β·Y[c, :]. α ≠ 0, Y not empty.
@inlinable
func _scatterSpMM<S: SparseScalar, I: SparseIndex>(
    _ pattern: CompressedPattern<I>, _ values: SparseBuffer<S>, alpha: S.Arithmetic,
    x: DenseMatrixView<S.Arithmetic>, beta: S.Arithmetic, y: MutableDenseMatrixView<S.Arithmetic>,
    configuration: KernelConfiguration
) {
    typealias T = S.Arithmetic
    let k = x.columns, n = pattern.minorCount, m = pattern.majorCount
    _withRowMajor(x, configuration: configuration) { xp, ldx in
        _withRowMajorOutput(y, beta: beta, configuration: configuration) { out, beta in
            pattern.offsets.withUnsafeBufferPointer { off in
                pattern.indices.withUnsafeBufferPointer { idx in
                    values.withUnsafeBufferPointer { val in
                        let o = off.baseAddress!, ix = idx.baseAddress!, v = val.baseAddress!
                        let parts = configuration._parts(work: val.count &* k, limit: n)
                        _parallelFor(parts) { t in
                            let owned = _evenRange(t, of: parts, count: n)
                            for c in owned { _scale(out.base + c &* out.rowStride, count: k, stride: 1, by: beta) }
                            let (c0, c1) = (I(truncatingIfNeeded: owned.lowerBound), I(truncatingIfNeeded: owned.upperBound))
                            let whole = parts == 1
                            for i in 0..<m {
                                var s = Int(truncatingIfNeeded: o[i]), e = Int(truncatingIfNeeded: o[i &+ 1])
                                if s == e { continue }
                                if !whole {
                                    s = _lowerBound(ix, s, e, c0)
                                    e = _lowerBound(ix, s, e, c1)
                                }
                                let xrow = xp + i &* ldx
                                for p in s..<e {
                                    let yrow = out.base + Int(truncatingIfNeeded: ix[p]) &* out.rowStride
                                    let a = alpha * v[p].arithmetic
                                    if MemoryLayout<T>.stride <= 4 {
                                        _axpy(k, a, xrow, yrow, SIMD8<T>.self)
                                    } else {
                                        _axpy(k, a, xrow, yrow, SIMD4<T>.self)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// y[0..<k] += a·x[0..<k], four vectors at a time, then one, then scalars.
@inlinable @inline(__always)
func _axpy<V: SIMD>(_ k: Int, _ a: V.Scalar, _ x: UnsafePointer<V.Scalar>, _ y: UnsafeMutablePointer<V.Scalar>,
                    _: V.Type) where V.Scalar: FloatingPoint {
    let w = V.scalarCount
    let av = V(repeating: a)
    var j = 0
    while j &+ 4 &* w <= k {
        let y0 = _load(UnsafePointer(y + j), V.self) + av * _load(x + j, V.self)
        let y1 = _load(UnsafePointer(y + (j &+ w)), V.self) + av * _load(x + (j &+ w), V.self)
        let y2 = _load(UnsafePointer(y + (j &+ 2 &* w)), V.self) + av * _load(x + (j &+ 2 &* w), V.self)
        let y3 = _load(UnsafePointer(y + (j &+ 3 &* w)), V.self) + av * _load(x + (j &+ 3 &* w), V.self)
        _store(y0, y + j)
        _store(y1, y + (j &+ w))
        _store(y2, y + (j &+ 2 &* w))
        _store(y3, y + (j &+ 3 &* w))
        j &+= 4 &* w
    }
    while j &+ w <= k {
        _store(_load(UnsafePointer(y + j), V.self) + av * _load(x + j, V.self), y + j)
        j &+= w
    }
    while j < k {
        y[j] += a * x[j]
        j &+= 1
    }
}

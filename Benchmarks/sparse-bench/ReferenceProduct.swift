import SwiftSparse

/// y = A·x and Y = A·X computed from the source CSR in Double with a plain loop, independent of every kernel
/// and of the format conversions, with the bound each result must meet.
///
/// A kernel's output element passes when `|got − want| ≤ 8·√(m + 1)·ε·Σⱼ|aᵢⱼ·xⱼ| + tiny`, where m is the row's
/// stored count and ε the kernel scalar's machine epsilon: any summation order (sequential, blocked, SIMD)
/// stays well inside it, and a dropped, misplaced or wrong entry does not. NaN never passes.
struct ReferenceProduct: Sendable {
    let rows: Int
    let rhs: Int
    /// A·x.
    let y: [Double]
    /// |A|·|x|, the scale of each element of y.
    let yScale: [Double]
    /// A·X, row-major `rows × rhs`.
    let ym: [Double]
    /// |A|·|X|.
    let ymScale: [Double]
    /// 8·√(m + 1) per row.
    let rowFactor: [Double]

    /// Computes both products of `a` with `x` (`columns`) and `xm` (row-major `columns × rhs`; rhs 0: A·x only).
    init<S: SparseScalar, I: SparseIndex>(_ a: CSRMatrix<S, I>, x: [S.Arithmetic], xm: [S.Arithmetic], rhs k: Int) {
        precondition(x.count >= a.columns && xm.count >= a.columns * k, "reference operands too short")
        rows = a.rows
        rhs = k
        let x64 = x.map { Double($0) }, xm64 = xm.map { Double($0) }
        var y = [Double](repeating: 0, count: a.rows), ys = y, factor = y
        var ym = [Double](repeating: 0, count: a.rows * k), yms = ym
        a.rowOffsets.withUnsafeBufferPointer { off in
            a.columnIndices.withUnsafeBufferPointer { col in
                a.values.withUnsafeBufferPointer { val in
                    ym.withUnsafeMutableBufferPointer { ymp in
                        yms.withUnsafeMutableBufferPointer { ymsp in
                            for i in 0..<a.rows {
                                let lo = Int(off[i]), hi = Int(off[i + 1])
                                factor[i] = 8 * Double(hi - lo + 1).squareRoot()
                                (y[i], ys[i]) = Self.row(lo..<hi, col, val, x64, xm64, k,
                                                         ymp.baseAddress! + i * k, ymsp.baseAddress! + i * k)
                            }
                        }
                    }
                }
            }
        }
        self.y = y
        self.yScale = ys
        self.ym = ym
        self.ymScale = yms
        self.rowFactor = factor
    }

    /// One row's terms in stored order: returns Σ v·x[j] and Σ |v·x[j]|, and adds the row of A·X and of
    /// |A|·|X| into `ym` and `yms` (k elements each).
    private static func row<S: SparseScalar, I: SparseIndex>(
        _ entries: Range<Int>, _ col: UnsafeBufferPointer<I>, _ val: UnsafeBufferPointer<S>, _ x: [Double],
        _ xm: [Double], _ k: Int, _ ym: UnsafeMutablePointer<Double>, _ yms: UnsafeMutablePointer<Double>
    ) -> (Double, Double) {
        var s = 0.0, sa = 0.0
        xm.withUnsafeBufferPointer { xmp in
            let xmBase = k > 0 ? xmp.baseAddress : nil  // A·x only (k = 0): xm may be empty
            for p in entries {
                let v = Double(val[p].arithmetic), j = Int(col[p])
                s += v * x[j]
                sa += abs(v * x[j])
                guard let xmBase else { continue }
                let xj = xmBase + j * k
                for c in 0..<k {
                    let t = v * xj[c]
                    ym[c] += t
                    yms[c] += abs(t)
                }
            }
        }
        return (s, sa)
    }

    /// The first element of a result outside its bound, or nil when all pass.
    struct Mismatch: Sendable, CustomStringConvertible {
        var row: Int
        var column: Int
        var got: Double
        var expected: Double
        var tolerance: Double
        var description: String {
            "element (\(row), \(column)) is \(got), expected \(expected) ± \(tolerance)"
        }
    }

    /// Checks an SpMV result.
    func checkSpMV<T: BinaryFloatingPoint>(_ got: UnsafeBufferPointer<T>) -> Mismatch? {
        let eps = Double(T.ulpOfOne)
        for i in 0..<rows {
            let g = Double(got[i])
            let tol = rowFactor[i] * eps * yScale[i] + Double.leastNormalMagnitude
            if !(abs(g - y[i]) <= tol) {
                return Mismatch(row: i, column: 0, got: g, expected: y[i], tolerance: tol)
            }
        }
        return nil
    }

    /// Checks an SpMM result (row-major `rows × rhs`).
    func checkSpMM<T: BinaryFloatingPoint>(_ got: UnsafeBufferPointer<T>) -> Mismatch? {
        let eps = Double(T.ulpOfOne)
        for i in 0..<rows {
            for c in 0..<rhs {
                let g = Double(got[i * rhs + c])
                let tol = rowFactor[i] * eps * ymScale[i * rhs + c] + Double.leastNormalMagnitude
                if !(abs(g - ym[i * rhs + c]) <= tol) {
                    return Mismatch(row: i, column: c, got: g, expected: ym[i * rhs + c], tolerance: tol)
                }
            }
        }
        return nil
    }
}

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
        rows = a.rows
        rhs = k
        var y = [Double](repeating: 0, count: a.rows), ys = y
        var ym = [Double](repeating: 0, count: a.rows * k), yms = ym
        var factor = [Double](repeating: 0, count: a.rows)
        a.rowOffsets.withUnsafeBufferPointer { off in
            a.columnIndices.withUnsafeBufferPointer { col in
                a.values.withUnsafeBufferPointer { val in
                    for i in 0..<a.rows {
                        let lo = Int(off[i]), hi = Int(off[i + 1])
                        factor[i] = 8 * Double(hi - lo + 1).squareRoot()
                        var s = 0.0, sa = 0.0
                        for p in lo..<hi {
                            let v = Double(val[p].arithmetic), j = Int(col[p])
                            s += v * Double(x[j])
                            sa += abs(v * Double(x[j]))
                            for c in 0..<k {
                                let t = v * Double(xm[j * k + c])
                                ym[i * k + c] += t
                                yms[i * k + c] += abs(t)
                            }
                        }
                        y[i] = s
                        ys[i] = sa
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

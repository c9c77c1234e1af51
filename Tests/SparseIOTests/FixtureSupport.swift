import Foundation
import SparseCore
@testable import SparseIO

/// The package's `Fixtures/` folder, found from this file's path.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The path of `name` (like `"LFAT5.mtx"` or `"edge/crlf.mtx"`).
    static func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    /// The bytes of `name`.
    static func bytes(_ name: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: path(name)) ?? Data())
    }

    /// The `.mtx` files in a subfolder (or the top level for `""`), sorted, as names relative to `root`.
    static func names(in folder: String) -> [String] {
        let dir = folder.isEmpty ? root : root.appendingPathComponent(folder)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".mtx") }.sorted().map { folder.isEmpty ? $0 : folder + "/" + $0 }
    }
}

/// A deliberately simple reader for valid files, independent of SparseIO's parser: `String` lines,
/// whitespace splitting and `Double(String)`. Gives the dense matrix with duplicates summed.
func referenceDense<T: BinaryFloatingPoint & LosslessStringConvertible>(_ text: String, as _: T.Type = Double.self) -> [[Double]] {
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        .map { String($0) }
    let banner = lines[0].lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
    let isArray = banner[2] == "array", isPattern = banner[3] == "pattern", symmetry = String(banner[4])
    var rest = lines.dropFirst().map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) }
        .filter { !$0.isEmpty && !$0[0].hasPrefix("%") }
    let size = rest.removeFirst().map { Int($0)! }
    let m = size[0], n = size[1]
    var a = [[T]](repeating: [T](repeating: 0, count: n), count: m)
    func number(_ s: Substring) -> T {
        let l = s.lowercased()
        if l.hasSuffix("nan") { return l.hasPrefix("-") ? -.nan : .nan }
        if l.hasSuffix("inf") || l.hasSuffix("infinity") { return l.hasPrefix("-") ? -.infinity : .infinity }
        return T(String(s))!
    }
    if isArray {
        var k = 0
        for j in 0..<n {
            let first = symmetry == "general" ? 0 : (symmetry == "symmetric" ? j : j + 1)
            for i in first..<Swift.max(first, m) {
                let v = number(rest[k][0]); k += 1
                a[i][j] = v
                if symmetry == "symmetric" { a[j][i] = v }
                if symmetry == "skew-symmetric" { a[j][i] = -v }
            }
        }
        return a.map { $0.map { Double($0) } }
    }
    for t in rest {
        let i = Int(t[0])! - 1, j = Int(t[1])! - 1
        let v = isPattern ? 1 : number(t[2])
        a[i][j] += v
        if i != j && symmetry == "symmetric" { a[j][i] += v }
        if i != j && symmetry == "skew-symmetric" { a[j][i] -= v }
    }
    return a.map { $0.map { Double($0) } }
}

/// The dense rows of any matrix, as `Double`.
func denseRows<S: SparseScalar>(_ m: some MatrixStorage<S>) -> [[Double]] {
    let d = m.dense(layout: .rowMajor)
    return (0..<m.rows).map { i in (0..<m.columns).map { j in Double(d[i, j]) } }
}

/// Element-wise equality that treats NaN as equal to NaN (and -0 as equal to +0).
func sameValues(_ a: [[Double]], _ b: [[Double]]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        guard x.count == y.count else { return false }
        for (u, v) in zip(x, y) where !(u == v || (u.isNaN && v.isNaN)) { return false }
    }
    return true
}

/// Element-wise equality that treats NaN as equal to NaN and distinguishes -0 from +0.
func sameBits(_ a: [[Double]], _ b: [[Double]]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        guard x.count == y.count else { return false }
        for (u, v) in zip(x, y) where !(u.bitPattern == v.bitPattern || (u.isNaN && v.isNaN)) { return false }
    }
    return true
}

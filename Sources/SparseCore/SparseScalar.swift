/// A type whose values a sparse or dense matrix can store.
///
/// Storage and arithmetic are separate: a matrix holds `Self` in its value buffers, and kernels compute in
/// ``Arithmetic``. For `Float` and `Double` the two are the same type and the conversions are identities that
/// the optimiser removes. A storage-only type such as `Float16` sets `Arithmetic = Float`: the formats do not
/// change, only the bytes per value do.
public protocol SparseScalar: BinaryFloatingPoint, BitwiseCopyable, Sendable, CustomStringConvertible {
    /// The type kernels accumulate in, and the type of the dense vectors and blocks a matrix multiplies.
    associatedtype Arithmetic: SparseScalar & SIMDScalar where Arithmetic.Arithmetic == Arithmetic

    /// Rounds an arithmetic value to storage.
    init(arithmetic value: Arithmetic)

    /// The stored value widened to the arithmetic type (exact).
    var arithmetic: Arithmetic { get }

    /// A short name used in reports and benchmark output (`"Float64"`, `"Float32"`).
    static var scalarName: String { get }
}

extension Double: SparseScalar {
    public typealias Arithmetic = Double
    @inlinable @inline(__always) public init(arithmetic value: Double) { self = value }
    @inlinable @inline(__always) public var arithmetic: Double { self }
    @inlinable public static var scalarName: String { "Float64" }
}

extension Float: SparseScalar {
    public typealias Arithmetic = Float
    @inlinable @inline(__always) public init(arithmetic value: Float) { self = value }
    @inlinable @inline(__always) public var arithmetic: Float { self }
    @inlinable public static var scalarName: String { "Float32" }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
/// Half precision as a storage-only scalar: values take 2 bytes, kernels compute in `Float`.
extension Float16: SparseScalar {
    public typealias Arithmetic = Float
    @inlinable @inline(__always) public init(arithmetic value: Float) { self.init(value) }
    @inlinable @inline(__always) public var arithmetic: Float { Float(self) }
    @inlinable public static var scalarName: String { "Float16" }
}
#endif

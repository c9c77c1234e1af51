#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's physical memory in bytes (`Int.max` when the system does not say): the most that a size
/// taken from a file or an argument may ask to allocate before it is refused with a typed error.
@usableFromInline
package var _physicalMemory: Int {
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, size > 0 else { return Int.max }
    return pages.multipliedReportingOverflow(by: size).overflow ? Int.max : pages * size
}

/// A fixed-size, copy-on-write buffer of trivial elements, allocated at exactly `count` elements.
///
/// Every format stores its arrays in `SparseBuffer`s, so ``allocatedByteCount`` is the truth about memory:
/// there is no spare capacity and no header inside the element bytes. Allocations are 64-byte aligned
/// (a cache line, and any SIMD width); buffers of 4 MiB and more are aligned to 2 MiB and, on Linux, advised
/// for transparent huge pages, which cuts TLB misses when kernels stream them.
///
/// Kernels take a pointer once with ``withUnsafeBufferPointer(_:)`` and loop on it; the collection
/// conformance is for everything else.
@frozen
public struct SparseBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    @usableFromInline var _storage: _SparseBufferStorage<Element>

    @inlinable
    init(_storage: _SparseBufferStorage<Element>) { self._storage = _storage }

    /// A buffer of `count` copies of `value`.
    @inlinable
    public init(repeating value: Element, count: Int) {
        precondition(count >= 0, "SparseBuffer: negative count \(count)")
        _storage = _SparseBufferStorage(count: count)
        _storage.base.initialize(repeating: value, count: count)
    }

    /// A buffer holding the elements of `elements`, at exactly their count.
    @inlinable
    public init(_ elements: some Collection<Element>) {
        let n = elements.count
        _storage = _SparseBufferStorage(count: n)
        let buffer = UnsafeMutableBufferPointer(start: _storage.base, count: n)
        if n > 0 {
            let copied: Bool? = elements.withContiguousStorageIfAvailable { source in
                buffer.baseAddress!.initialize(from: source.baseAddress!, count: n)
                return true
            }
            if copied == nil {
                _ = buffer.initialize(from: elements)
            }
        }
    }

    /// An empty buffer.
    @inlinable
    public init() { self.init(_storage: _SparseBufferStorage(count: 0)) }

    /// A buffer of `count` elements that `initializer` must initialise in full.
    ///
    /// The closure receives the uninitialised memory; elements are trivial, so a throw leaves nothing to
    /// clean up but the allocation, which is released.
    @inlinable
    public init<E: Error>(
        unsafeUninitializedCount count: Int,
        initializingWith initializer: (UnsafeMutableBufferPointer<Element>) throws(E) -> Void
    ) throws(E) {
        precondition(count >= 0, "SparseBuffer: negative count \(count)")
        let storage = _SparseBufferStorage<Element>(count: count)
        try initializer(UnsafeMutableBufferPointer(start: storage.base, count: count))
        self._storage = storage
    }

    /// The number of elements.
    @inlinable @inline(__always)
    public var count: Int { _storage.count }

    /// The bytes of element storage this buffer holds: `count × MemoryLayout<Element>.stride`.
    @inlinable
    public var allocatedByteCount: Int { _storage.count &* MemoryLayout<Element>.stride }

    /// Calls `body` with a pointer to the elements, valid only inside `body`.
    @inlinable @inline(__always)
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        try withExtendedLifetime(_storage) { () throws(E) -> R in
            try body(UnsafeBufferPointer(start: _storage.base, count: _storage.count))
        }
    }

    /// Calls `body` with a mutable pointer to the elements, first copying them if the storage is shared.
    @inlinable @inline(__always)
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        _makeUnique()
        return try withExtendedLifetime(_storage) { () throws(E) -> R in
            try body(UnsafeMutableBufferPointer(start: _storage.base, count: _storage.count))
        }
    }

    @inlinable @inline(__always)
    mutating func _makeUnique() {
        if !isKnownUniquelyReferenced(&_storage) {
            _storage = _storage.copy()
        }
    }

    /// The elements as an array (a copy).
    @inlinable
    public var array: [Element] { Array(self) }
}

extension SparseBuffer: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>

    @inlinable @inline(__always) public var startIndex: Int { 0 }
    @inlinable @inline(__always) public var endIndex: Int { _storage.count }
    @inlinable @inline(__always) public var indices: Range<Int> { 0..<_storage.count }
    @inlinable @inline(__always) public func index(after i: Int) -> Int { i &+ 1 }
    @inlinable @inline(__always) public func index(before i: Int) -> Int { i &- 1 }

    @inlinable
    public subscript(position: Int) -> Element {
        @inline(__always) get {
            precondition(position >= 0 && position < _storage.count, "SparseBuffer index \(position) out of range 0..<\(_storage.count)")
            return _storage.base[position]
        }
        @inline(__always) set {
            precondition(position >= 0 && position < _storage.count, "SparseBuffer index \(position) out of range 0..<\(_storage.count)")
            _makeUnique()
            _storage.base[position] = newValue
        }
    }

    @inlinable
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R? {
        try withExtendedLifetime(_storage) {
            try body(UnsafeBufferPointer(start: _storage.base, count: _storage.count))
        }
    }
}

extension SparseBuffer: Equatable where Element: Equatable {
    @inlinable
    public static func == (lhs: SparseBuffer, rhs: SparseBuffer) -> Bool {
        if lhs._storage === rhs._storage { return true }
        return lhs.elementsEqual(rhs)
    }
}

extension SparseBuffer: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension SparseBuffer: CustomStringConvertible {
    public var description: String { "SparseBuffer(\(Array(self)))" }
}

/// The heap object behind a ``SparseBuffer``: one aligned allocation of exactly `count` elements.
@usableFromInline
final class _SparseBufferStorage<Element: BitwiseCopyable> {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    @usableFromInline let count: Int

    @inlinable
    init(count: Int) {
        self.count = count
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        precondition(count >= 0 && !overflow,
                     "SparseBuffer: \(count) elements of \(MemoryLayout<Element>.stride) bytes overflow a byte count")
        self.base = _sparseAllocate(byteCount: bytes).bindMemory(to: Element.self, capacity: count)
    }

    @inlinable
    func copy() -> _SparseBufferStorage<Element> {
        let new = _SparseBufferStorage(count: count)
        new.base.initialize(from: base, count: count)
        return new
    }

    deinit { UnsafeMutableRawPointer(base).deallocate() }
}

/// Buffers at least this large are aligned to 2 MiB and advised for huge pages.
@usableFromInline let _hugePageThreshold = 4 << 20
@usableFromInline let _hugePageSize = 2 << 20

/// Allocates `byteCount` bytes aligned to 64 bytes, or to 2 MiB (with `MADV_HUGEPAGE`) for large sizes.
@usableFromInline
func _sparseAllocate(byteCount: Int) -> UnsafeMutableRawPointer {
    if byteCount >= _hugePageThreshold {
        let p = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: _hugePageSize)
        #if os(Linux)
        let rounded = byteCount & ~(_hugePageSize - 1)
        if rounded > 0 { _ = madvise(p, rounded, MADV_HUGEPAGE) }
        #endif
        return p
    }
    return UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 1), alignment: 64)
}

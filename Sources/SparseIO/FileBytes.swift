#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How much of a file the caller will touch, so the mapping can be prefetched or not.
enum _FileAccess {
    /// Only the first lines (the header): map lazily.
    case header
    /// Every byte: map with the pages populated up front.
    case whole
}

/// Calls `body` with the bytes of the file at `path`, memory-mapped read-only (an empty file gives an empty
/// buffer). The mapping lives only during `body`.
func _withFileBytes<R>(
    path: String, access: _FileAccess,
    _ body: (UnsafeRawBufferPointer) throws(MatrixMarketError) -> R
) throws(MatrixMarketError) -> R {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw _systemError(path: path) }
    defer { close(fd) }
    var info = stat()
    if fstat(fd, &info) != 0 { throw _systemError(path: path) }
    if (info.st_mode & S_IFMT) == S_IFDIR {
        throw MatrixMarketError(line: nil, .cannotRead(path: path, reason: "is a directory"))
    }
    let size = Int(info.st_size)
    if size <= 0 || (info.st_mode & S_IFMT) != S_IFREG {
        // Empty files, pipes and devices: read what there is (for the header, only as far as its size line).
        return try _withReadBytes(fd: fd, path: path, headerOnly: access == .header, body)
    }
    // Pages are not populated here: the parser prefaults each chunk from the thread that parses it
    // (`_prefault`), so page-table set-up runs in parallel too.
    guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
        return try _withReadBytes(fd: fd, path: path, headerOnly: access == .header, body)
    }
    defer { munmap(mapped, size) }
    if access == .whole { _ = madvise(mapped, size, MADV_SEQUENTIAL) }
    return try body(UnsafeRawBufferPointer(start: mapped, count: size))
}

/// Asks the kernel to map the pages of `base[0..<count]` now, in one call, rather than one fault at a time
/// (`MADV_POPULATE_READ`, Linux 5.14+; elsewhere, or on failure, nothing happens).
func _prefault(_ base: UnsafeRawPointer, _ count: Int) {
    #if os(Linux)
    guard count >= 1 << 16 else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = Int(bitPattern: base) & ~(page - 1)
    let end = Int(bitPattern: base) + count
    _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, 22 /* MADV_POPULATE_READ */)
    #endif
}

/// Reads `fd` to its end with `read(2)` and calls `body` with the bytes; with `headerOnly`, stops once they
/// hold the size line (``_holdsSizeLine``) or ``_headerReadLimit`` bytes, so that a header read from a device
/// such as /dev/zero, or from an endless pipe, ends.
private func _withReadBytes<R>(
    fd: Int32, path: String, headerOnly: Bool, _ body: (UnsafeRawBufferPointer) throws(MatrixMarketError) -> R
) throws(MatrixMarketError) -> R {
    var bytes = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while !headerOnly || bytes.count < _headerReadLimit {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw _systemError(path: path)
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
        if headerOnly && chunk[0..<n].contains(0x0A) && _holdsSizeLine(bytes) { break }
        // Not a MatrixMarket file (/dev/zero, say): stop at once; the parser reports the missing banner.
        if !_mayStartWithBanner(bytes) { break }
    }
    return try _withArrayBytes(bytes, body)
}

/// Whether `bytes` could be the start of a file whose first word is `%%MatrixMarket` (in any case, after
/// any blanks, as the header parser reads it), as far as they go.
func _mayStartWithBanner(_ bytes: [UInt8]) -> Bool {
    let banner: [UInt8] = Array("%%matrixmarket".utf8)
    let word = bytes.drop { _isBlank($0) }
    for (b, w) in zip(word, banner) where (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != w { return false }
    return true
}

/// The most a header read takes from a file that cannot be mapped (16 MiB of banner and comments).
let _headerReadLimit = 16 << 20

/// Whether `bytes` hold a whole line after the first (the banner) that is neither blank nor a comment: the size
/// line, where the header ends.
func _holdsSizeLine(_ bytes: [UInt8]) -> Bool {
    guard var p = bytes.firstIndex(of: 0x0A) else { return false }
    while p < bytes.count {
        let start = p + 1
        guard let end = bytes[start...].firstIndex(of: 0x0A) else { return false }
        if let first = bytes[start..<end].first(where: { !_isBlank($0) }),
           first != UInt8(ascii: "%") {
            return true
        }
        p = end
    }
    return false
}

/// Writes `bytes` to `fd` in full.
func _writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(MatrixMarketError) {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            throw MatrixMarketError(line: nil, .cannotWrite(path: path, reason: _errnoMessage()))
        }
        offset += n
    }
}

func _errnoMessage() -> String {
    guard let cString = strerror(errno) else { return "error \(errno)" }
    return String(cString: cString)
}

private func _systemError(path: String) -> MatrixMarketError {
    MatrixMarketError(line: nil, .cannotRead(path: path, reason: _errnoMessage()))
}

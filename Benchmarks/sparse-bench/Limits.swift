import Foundation

/// `a × b × c` bytes, or `Int.max` when the product overflows (a shape from a file can be that large).
func _saturatingBytes(_ a: Int, _ b: Int, _ c: Int) -> Int {
    let ab = a.multipliedReportingOverflow(by: b)
    let abc = ab.partialValue.multipliedReportingOverflow(by: c)
    return ab.overflow || abc.overflow ? Int.max : abc.partialValue
}

/// A byte count computed in Double (so that no product of sizes overflows first), printed as `Format.bytes`
/// does, saturating at `Int.max`.
func _bytesText(_ bytes: Double) -> String { Format.bytes(bytes.isFinite && bytes < 0x1p62 ? Int(bytes) : Int.max) }

/// What the bench may ask to allocate: the machine's physical memory.
enum MachineMemory {
    /// Physical memory in bytes.
    static var bytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }
    /// Physical memory in whole MiB (the unit of --max-matrix-mib and --triad-mib).
    static var mebibytes: Int { bytes >> 20 }

    /// Throws unless `bytes` (Double, so that no product of sizes overflows first) fit in physical memory.
    static func check(_ bytes: Double, _ what: @autoclosure () -> String) throws {
        if !(bytes <= Double(self.bytes)) {
            throw BenchError("\(what()) would need \(_bytesText(bytes)), "
                             + "more than this machine's \(Format.bytes(self.bytes)) of memory")
        }
    }
}

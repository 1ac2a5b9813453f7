// libFuzzer target: libvirt domain XML, which guest owners can edit, through
// DomainXMLParser (libxml2's xmlTextReader → the guest's name, UUID, hostdev interfaces and
// NUMA pinning, whose CPU and node lists are then parsed).
// Built only by `make fuzz` (docs/fuzzing.md).
#if FUZZING
import SRIOVCore
import SRIOVLibvirt

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDomainXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // libvirt hands the XML over as a C string; invalid UTF-8 is repaired as String(cString:) does.
    let xml = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    // The NUMA pinning it keeps as text is parsed again as CPU and node lists (issue 16).
    if let parsed = try? DomainXMLParser.parse(xml) {
        _ = parsed.numa.nodes(topology: NUMATopology(cpusByNode: [0: [0, 1], 1: [2, 3]]))
        _ = parsed.numa.memoryNodes
    }
    return 0
}
#else
/// Without `-DFUZZING` (a plain `swift build`) this is a stub that says how to build it.
@main
enum FuzzDomainXML {
    static func main() {
        print("FuzzDomainXML is a libFuzzer target: run `make fuzz` (docs/fuzzing.md)")
    }
}
#endif

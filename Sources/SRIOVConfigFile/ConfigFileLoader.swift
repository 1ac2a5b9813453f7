import FoundationEssentials
import Glibc
public import SRIOVCore
import Yams

/// Loads `/etc/sriovctl/config.yaml` into a ``HostConfig``.
///
/// Every error names the file, line and key: unknown keys, wrong types, duplicate PFs
/// and values out of range. Checks that need the host (more VFs than `sriov_totalvfs`)
/// are made by provisioning, which names the PF's `file:line` from ``PFConfig/source``.
/// The annotated format is config/config.example.yaml.
public enum ConfigFileLoader {
    /// Reads and parses the file at `path`. `deprecation` gets one sentence (with `file:line`)
    /// for each old spelling the file uses that still works (the caller prints it to stderr).
    public static func load(path: String, deprecation: (String) -> Void = { _ in }) throws(SRIOVError) -> HostConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SRIOVError(.invalidConfig, "\(path): cannot read the config file (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SRIOVError(.invalidConfig, "\(path): the config file is not UTF-8 text")
        }
        return try parse(text, file: path, deprecation: deprecation)
    }

    /// Parses config text; `file` is used in messages only. `deprecation`: as in ``load(path:deprecation:)``.
    public static func parse(_ text: String, file: String, deprecation: (String) -> Void = { _ in }) throws(SRIOVError) -> HostConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return HostConfig() }
            root = node
        } catch let error as YamlError {
            throw SRIOVError(.invalidConfig, YAMLErrorText.describe(error, text: text, file: file))
        } catch {
            throw SRIOVError(.invalidConfig, "\(file): \(error)")
        }
        let top = try ConfigNode(node: root, file: file, path: "")
            .mapping(allowed: ["version", "mac_pool", "pfs", "networks", "agent", "agent_api", "state"])
        if let version = top["version"] {
            let number = try version.number(NumberField(noun: "config version", range: 0...1_000_000))
            guard number == 1 else { throw version.error("config version \(number) is not supported (this sriovctl reads version 1)") }
        }
        var config = HostConfig()
        if let pool = top["mac_pool"] {
            config.macPool = try macPool(pool)
            config.macPoolGiven = true
        }
        if let pfs = top["pfs"] { config.pfs = try pfConfigs(pfs) }
        if let networks = top["networks"] { config.networks = try networkDefinitions(networks) }
        var api: AgentAPISettings?
        if let agent = top["agent"] { (config.agent, api) = try agentSection(agent) }
        if let old = top["agent_api"] {
            guard api == nil else {
                throw old.error("the old spelling of agent.api, which this file also has; keep agent.api only")
            }
            api = try agentAPISettings(old)
            deprecation("\(old.location): agent_api: is deprecated; move its keys under agent: as api: (the same keys)")
        }
        if let api { config.agentAPI = api }
        if let state = top["state"] { config.state = try stateSettings(state) }
        return config
    }

    // MARK: Sections

    /// `state:` (docs/state.md): url, password_file, host_id, local_dir.
    private static func stateSettings(_ node: ConfigNode) throws(SRIOVError) -> StateSettings {
        let fields = try node.mapping(allowed: ["url", "password_file", "host_id", "local_dir"])
        guard let urlNode = fields["url"] else { throw node.error("state: needs url") }
        let passwordFile = try fields["password_file"]?.string()
        var hostID: String?
        if let idNode = fields["host_id"] {
            let id = try idNode.string()
            guard (1...64).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw idNode.error("host_id must be 1-64 letters, digits or '-', found '\(TextRules.escaped(id))'")
            }
            hostID = id
        }
        var localDirectory = StateSettings.defaultLocalDirectory
        if let dirNode = fields["local_dir"] {
            localDirectory = try dirNode.string()
            guard localDirectory.hasPrefix("/") else { throw dirNode.error("local_dir must be an absolute path") }
        }
        do {
            return try StateSettings(url: try urlNode.string(), passwordFile: passwordFile, hostID: hostID,
                                     localDirectory: localDirectory)
        } catch {
            throw urlNode.error(error.message)
        }
    }

    private static func macPool(_ node: ConfigNode) throws(SRIOVError) -> MACPool {
        let fields = try node.mapping(allowed: ["first", "last"])
        guard let firstNode = fields["first"], let lastNode = fields["last"] else {
            throw node.error("mac_pool needs both 'first' and 'last'")
        }
        let first = try firstNode.mac(), last = try lastNode.mac()
        guard !first.isMulticast, !last.isMulticast, first.octets[0] == last.octets[0] else {
            throw node.error("the MAC pool must be unicast (first octet even) and keep one first octet")
        }
        guard first <= last else { throw node.error("first \(first) is after last \(last)") }
        return MACPool(first: first, last: last)
    }

    private static func pfConfigs(_ node: ConfigNode) throws(SRIOVError) -> [PFConfig] {
        var result: [PFConfig] = []
        for item in try node.list() {
            let fields = try item.mapping(allowed: ["netdev", "pci", "permanent_mac", "num_vfs", "method",
                                                    "drivers_autoprobe", "vfio", "vf_defaults", "vfs"])
            let ways = ["netdev", "pci", "permanent_mac"].filter { fields[$0] != nil }
            guard ways.count == 1 else {
                throw item.error("each PF needs exactly one of netdev, pci or permanent_mac (found \(ways.isEmpty ? "none" : ways.joined(separator: ", ")))")
            }
            let selector: PFSelector
            if let netdev = fields["netdev"] {
                selector = .netdev(try netdev.string())
            } else if let pci = fields["pci"] {
                let text = try pci.string()
                guard let address = PCIAddress(text) else { throw pci.error("'\(text)' is not a PCI address (0000:01:00.0)") }
                selector = .pciAddress(address)
            } else {
                selector = .permanentMAC(try fields["permanent_mac"]!.mac())
            }
            if let earlier = result.first(where: { $0.selector == selector }) {
                throw item.error("PF \(selector) is declared twice" + (earlier.source.map { " (first at \($0))" } ?? ""))
            }
            guard let numVFsNode = fields["num_vfs"] else { throw item.error("PF \(selector) needs num_vfs") }
            var pf = PFConfig(selector: selector, numVFs: try numVFsNode.number(.vfCount), source: item.location)
            if let method = fields["method"] {
                let text = try method.string()
                guard let value = VFCreationMethod(rawValue: text) else {
                    throw method.error("method must be 'sysfs' or 'max_vfs', found '\(text)'")
                }
                pf.method = value
            }
            pf.driversAutoprobe = try fields["drivers_autoprobe"]?.bool()
            pf.vfio = try fields["vfio"]?.bool() ?? false
            let name = selector.description
            if let defaults = fields["vf_defaults"] {
                pf.vfDefaults = try vfSettings(defaults, allowMAC: false, pf: name, vf: nil)
            }
            if let overrides = fields["vfs"] {
                for (index, settingsNode) in try overrides.numberedMapping() {
                    guard index < pf.numVFs else {
                        throw settingsNode.error("VF \(index) does not exist: PF \(name) has num_vfs \(pf.numVFs)")
                    }
                    pf.vfOverrides[index] = try vfSettings(settingsNode, allowMAC: true, pf: name, vf: index)
                }
            }
            result.append(pf)
        }
        return result
    }

    private static func networkDefinitions(_ node: ConfigNode) throws(SRIOVError) -> [NetworkDefinition] {
        var result: [NetworkDefinition] = []
        for item in try node.list() {
            let fields = try item.mapping(allowed: ["name", "pfs", "exclude_vfs", "vlan", "vlan_proto", "vf_defaults",
                                                    "numa", "prefer_link_up", "failover"])
            guard let nameNode = fields["name"] else { throw item.error("each network needs a name") }
            let name = try nameNode.string()
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw nameNode.error("network name '\(name)' may hold only letters, digits, '-', '_' and '.'")
            }
            guard !result.contains(where: { $0.name == name }) else { throw nameNode.error("network '\(name)' is declared twice") }
            guard let pfsNode = fields["pfs"] else { throw item.error("network '\(name)' needs pfs") }
            let pfNodes = try pfsNode.list()
            let entries = try pfNodes.map { (n: ConfigNode) throws(SRIOVError) -> NetworkPFEntry in try n.networkPFEntry() }
            let pfs = entries.map(\.selector)
            guard !pfs.isEmpty else { throw pfsNode.error("network '\(name)' needs at least one PF") }
            var network = NetworkDefinition(name: name, pfs: pfs)
            for (entry, node) in zip(entries, pfNodes) {
                if network.pfSources[entry.selector] != nil {
                    // A PF listed twice: harmless without ranges (the first counts), ambiguous with them.
                    if entry.vfRange != nil || network.vfRanges[entry.selector] != nil {
                        throw node.error("PF \(entry.selector) is listed twice in network '\(name)' "
                                         + "(first at \(network.pfSources[entry.selector]!)); give it one range")
                    }
                    continue
                }
                network.pfSources[entry.selector] = "\(node.location): \(node.path)"
                if let range = entry.vfRange { network.vfRanges[entry.selector] = range }
            }
            if let exclude = fields["exclude_vfs"] {
                let known = Set(pfs.map(\.description))
                for (pfName, indexes) in try exclude.mapping(allowed: known) {
                    network.excludedVFs[pfName] = try indexes.list().map { (n: ConfigNode) throws(SRIOVError) -> Int in
                        try n.number(.vfIndex)
                    }
                }
            }
            let defaults = try fields["vf_defaults"].map { (n: ConfigNode) throws(SRIOVError) -> VFSettings in
                try vfSettings(n, allowMAC: false, pf: "network \(name)", vf: nil)
            } ?? VFSettings()
            network.vfDefaults = defaults
            network.vlan = defaults.vlan
            if fields["vlan"] != nil || fields["vlan_proto"] != nil {
                network.vlan = try vlan(fields["vlan"], proto: fields["vlan_proto"], context: item, pf: "network \(name)")
            }
            if let numa = fields["numa"] {
                let text = try numa.string()
                guard let policy = NUMAPolicy(rawValue: text) else {
                    throw numa.error("numa must be required, preferred or ignore, found '\(TextRules.escaped(text))'")
                }
                network.numa = policy
            }
            network.preferLinkUp = try fields["prefer_link_up"]?.bool() ?? true
            if let failover = fields["failover"] { network.failover = try failoverPath(failover) }
            result.append(network)
        }
        try NetworkPoolOverlap.check(result)
        return result
    }

    /// `failover: {network: default}` or `{bridge: br0}`: exactly one.
    private static func failoverPath(_ node: ConfigNode) throws(SRIOVError) -> FailoverPath {
        let fields = try node.mapping(allowed: ["network", "bridge"])
        guard fields.count == 1 else {
            throw node.error("failover needs exactly one of network (a libvirt network) or bridge (a host bridge)")
        }
        let text: String
        if let network = fields["network"] {
            text = try network.string()
            try checkDeviceName(text, network)
            return .network(text)
        }
        text = try fields["bridge"]!.string()
        try checkDeviceName(text, fields["bridge"]!)
        return .bridge(text)
    }

    /// A libvirt network or bridge name: it goes into XML and onto a command line.
    private static func checkDeviceName(_ text: String, _ node: ConfigNode) throws(SRIOVError) {
        guard text.utf8.count <= 255, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else {
            throw node.error("'\(TextRules.escaped(text))' may hold only ASCII letters, digits, '-', '_', '.' and ':'")
        }
    }

    // MARK: VF settings

    private static func vfSettings(_ node: ConfigNode, allowMAC: Bool, pf: String, vf: Int?) throws(SRIOVError) -> VFSettings {
        var allowed: Set<String> = ["vlan", "vlan_proto", "spoofchk", "trust", "link_state", "min_rate", "max_rate"]
        if allowMAC { allowed.insert("mac") }
        let fields = try node.mapping(allowed: allowed)
        var settings = VFSettings()
        settings.mac = try fields["mac"]?.mac()
        if fields["vlan"] != nil || fields["vlan_proto"] != nil {
            settings.vlan = try vlan(fields["vlan"], proto: fields["vlan_proto"], context: node, pf: pf)
        }
        settings.spoofCheck = try fields["spoofchk"]?.bool()
        settings.trust = try fields["trust"]?.bool()
        if let linkNode = fields["link_state"] {
            let text = try linkNode.string()
            guard let state = VFLinkState(rawValue: text) else {
                throw linkNode.error("link_state must be auto, enable or disable, found '\(text)'")
            }
            settings.linkState = state
        }
        settings.minTxRate = try fields["min_rate"]?.number(.minRate)
        settings.maxTxRate = try fields["max_rate"]?.number(.maxRate)
        do {
            try settings.validate(vfIndex: vf ?? 0, pf: pf)
        } catch {
            throw node.error(vf == nil ? error.message.replacingOccurrences(of: "\(pf) VF 0: ", with: "") : error.message)
        }
        return settings
    }

    private static func vlan(_ idNode: ConfigNode?, proto protoNode: ConfigNode?, context: ConfigNode,
                             pf: String) throws(SRIOVError) -> PortVLAN {
        var proto = VLANProtocol.ieee8021Q
        if let protoNode {
            let text = try protoNode.string()
            guard let value = VLANProtocol(text: text) else {
                throw protoNode.error("vlan_proto must be 802.1Q or 802.1ad, found '\(text)'")
            }
            proto = value
        }
        guard let idNode else { throw context.error("vlan_proto needs a vlan") }
        let text = try idNode.string()
        do {
            return try PortVLAN(validating: text, proto: proto)
        } catch {
            throw idNode.error(error.message)
        }
    }
}

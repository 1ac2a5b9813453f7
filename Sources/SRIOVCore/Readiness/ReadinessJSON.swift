/// The `doctor --json` encoding: every documented key is always present (explicit `null`).

extension ReadinessReport: Encodable {
    enum CodingKeys: String, CodingKey {
        case schemaVersion, status, exitCode, summary, host, checks, warnings
    }

    struct Summary: Encodable {
        var pass: Int
        var warn: Int
        var fail: Int
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(status, forKey: .status)
        try c.encode(exitCode, forKey: .exitCode)
        try c.encode(Summary(pass: count(.pass), warn: count(.warn), fail: count(.fail)), forKey: .summary)
        try c.encode(host, forKey: .host)
        try c.encode(checks, forKey: .checks)
        try c.encode(warnings, forKey: .warnings)
    }
}

extension ReadinessHostSummary: Encodable, ExplicitNullEncoding {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case cpuVendor, cpuModel, virtualMachine, iommuKind, iommuEvidence, distribution, distributionName
        case kernelRelease, kernelCommandLine, bootLoader
    }

    public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
}

extension ReadinessCheck: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, area, title, status, pf, pfAddress, vf, vfAddress, observed, sources, why, fix
        case iommuGroup, groupMembers
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(id.area, forKey: .area)
        try c.encode(title, forKey: .title)
        try c.encode(status, forKey: .status)
        try c.encode(subject?.pf, forKey: .pf)
        try c.encode(subject?.pfAddress, forKey: .pfAddress)
        try c.encode(subject?.vf, forKey: .vf)
        try c.encode(subject?.vfAddress, forKey: .vfAddress)
        try c.encode(observed, forKey: .observed)
        try c.encode(sources, forKey: .sources)
        try c.encode(why, forKey: .why)
        try c.encode(fix, forKey: .fix)
        try c.encode(iommuGroup, forKey: .iommuGroup)
        try c.encode(groupMembers, forKey: .groupMembers)
    }
}

extension FixAdvice: Encodable {
    enum CodingKeys: String, CodingKey {
        case summary, steps, commands, rebootRequired, optional
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(summary, forKey: .summary)
        try c.encode(steps, forKey: .steps)
        try c.encode(commands, forKey: .commands)
        try c.encode(rebootRequired, forKey: .rebootRequired)
        try c.encode(optional, forKey: .optional)
    }
}

extension FixStep: Encodable, ExplicitNullEncoding {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case text, command, fileLine
    }

    public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
}

extension IOMMUGroupMember: Encodable {
    enum CodingKeys: String, CodingKey {
        case device, classCode = "class", driver, role, blocksIsolation
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(device, forKey: .device)
        try c.encode(classCode, forKey: .classCode)
        try c.encode(driver, forKey: .driver)
        try c.encode(role, forKey: .role)
        try c.encode(blocksIsolation, forKey: .blocksIsolation)
    }
}

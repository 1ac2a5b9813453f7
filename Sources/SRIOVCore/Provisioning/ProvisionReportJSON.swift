/// The JSON of `sriovctl provision --json` (schema version 1, see docs/provision.md).
/// Absent values are explicit `null`s so every documented key is always there; times are
/// milliseconds.
extension ProvisionReport: Encodable {
    enum CodingKeys: String, CodingKey {
        case schemaVersion, dryRun, guest, succeeded, nothingToDo, summary, timings, pfs, modules, warnings, failures
    }

    struct Summary: Encodable {
        var pfs: Int
        var asConfigured: Int
        var planned: Int
        var changed: Int
        var pending: Int
        var failed: Int
    }

    struct Timings: Encodable {
        var observeMs: Double
        var vfCreationMs: Double
        var vfioMs: Double
        var programmingMs: Double
        var totalMs: Double
        var netlinkRequests: Int
    }

    /// PF counts by status.
    var summary: Summary {
        func count(_ status: ProvisionStatus) -> Int { pfs.filter { $0.status == status }.count }
        return Summary(pfs: pfs.count, asConfigured: count(.asConfigured), planned: count(.planned),
                       changed: count(.changed), pending: count(.pending), failed: count(.failed))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(1, forKey: .schemaVersion)
        try c.encode(dryRun, forKey: .dryRun)
        try c.encode(guest, forKey: .guest)
        try c.encode(succeeded, forKey: .succeeded)
        try c.encode(nothingToDo, forKey: .nothingToDo)
        try c.encode(summary, forKey: .summary)
        try c.encode(Timings(observeMs: milliseconds(observeTime + reobserveTime), vfCreationMs: milliseconds(vfCreationTime),
                             vfioMs: milliseconds(vfioTime), programmingMs: milliseconds(programmingTime),
                             totalMs: milliseconds(totalTime), netlinkRequests: netlinkRequests), forKey: .timings)
        try c.encode(pfs, forKey: .pfs)
        try c.encode(modules, forKey: .modules)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(failures.map(\.message), forKey: .failures)
    }
}

extension PFOutcome: Encodable {
    enum CodingKeys: String, CodingKey {
        case name, selector, source, device, netdev, status, steps, errors, notes, timings
    }

    struct Timings: Encodable {
        var vfCreationMs: Double
        var vfioMs: Double
        var programmingMs: Double
        var netlinkRequests: Int
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(selector?.description, forKey: .selector)
        try c.encode(source, forKey: .source)
        try c.encode(device, forKey: .device)
        try c.encode(netdev, forKey: .netdev)
        try c.encode(status, forKey: .status)
        try c.encode(steps, forKey: .steps)
        try c.encode(errors.map(SRIOVErrorRecord.init), forKey: .errors)
        try c.encode(notes, forKey: .notes)
        try c.encode(Timings(vfCreationMs: milliseconds(vfCreationTime), vfioMs: milliseconds(vfioTime),
                             programmingMs: milliseconds(programmingTime), netlinkRequests: netlinkRequests),
                     forKey: .timings)
    }
}

extension StepOutcome: Encodable {
    enum CodingKeys: String, CodingKey {
        case action, summary, status, durationMs, requests, errors, notes
        case from, to, destroyed, module, reloading, vfs, afterCreation, liveStateKnown
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step.action, forKey: .action)
        try c.encode(step.summary, forKey: .summary)
        try c.encode(status, forKey: .status)
        try c.encode(duration.map(milliseconds), forKey: .durationMs)
        try c.encode(requests, forKey: .requests)
        try c.encode(errors.map(SRIOVErrorRecord.init), forKey: .errors)
        try c.encode(notes, forKey: .notes)
        switch step {
        case .driversAutoprobe(let from, let to):
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
        case .numVFs(let from, let to, let destroyed):
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(destroyed, forKey: .destroyed)
        case .moduleReload(let module, let from, let to, let reloading):
            try c.encode(module, forKey: .module)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(reloading, forKey: .reloading)
        case .bindVFIO(let set):
            try c.encode(set.vfs, forKey: .vfs)
            try c.encode(set.afterCreation, forKey: .afterCreation)
        case .programVFs(let set):
            try c.encode(set.vfs, forKey: .vfs)
            try c.encode(set.liveStateKnown, forKey: .liveStateKnown)
        }
    }
}

extension ModuleOutcome: Encodable {
    enum CodingKeys: String, CodingKey {
        case driver, module, path, shape, ports, contents, currentContents, writeFile, reload, status, errors, notes, durationMs
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(plan.module.driver, forKey: .driver)
        try c.encode(plan.module.module, forKey: .module)
        try c.encode(plan.module.path, forKey: .path)
        try c.encode(plan.module.shape, forKey: .shape)
        try c.encode(plan.ports, forKey: .ports)
        try c.encode(plan.contents, forKey: .contents)
        try c.encode(plan.module.currentContents, forKey: .currentContents)
        try c.encode(plan.writeFile, forKey: .writeFile)
        try c.encode(plan.reload, forKey: .reload)
        try c.encode(status, forKey: .status)
        try c.encode(errors.map(SRIOVErrorRecord.init), forKey: .errors)
        try c.encode(plan.notes, forKey: .notes)
        try c.encode(duration.map(milliseconds), forKey: .durationMs)
    }
}

/// A duration in milliseconds, to the microsecond.
func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
    return (ms * 1000).rounded() / 1000
}

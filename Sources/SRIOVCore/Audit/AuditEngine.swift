/// Runs every rule over one host's snapshot and builds its report.
///
/// Pure: the same input gives the same report. Findings are ordered worst first, then by
/// rule id, then by message, so reports diff well between runs.
public enum AuditEngine {
    /// Audits one host. `generatedAt` is a timestamp string chosen by the caller (the core
    /// has no clock); `generator` names the program and version.
    public static func audit(_ input: AuditInput, generatedAt: String? = nil,
                             generator: String = "sriovctl") -> AuditReport {
        let context = AuditContext(input)
        var findings = DuplicateMACRules.findings(in: context)
        findings += DriftRules.findings(in: context)
        findings += StaleVFRules.findings(in: context)
        findings += OrphanRecordRules.findings(in: context)
        findings += GuestDefinitionRules.findings(in: context)
        findings += PolicyRules.findings(in: context)
        findings += PlacementRules.findings(in: context)
        findings = AuditReport.ordered(findings)
        let section = AuditHostSection(host: input.hostName, generatedAt: generatedAt,
                                       libvirtChecked: input.guests != nil, libvirtURI: input.libvirtURI,
                                       notices: input.notices,
                                       inventory: AuditInventoryBuilder.build(context, findings: findings))
        return AuditReport(generator: generator, host: input.hostName, hosts: [section], findings: findings)
    }
}

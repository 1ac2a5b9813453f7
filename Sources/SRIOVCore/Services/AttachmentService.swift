/// Gives a guest a programmed VF and takes it back: the one entry point every front end
/// (the CLI's `attach` and `detach`, the agent's API) calls.
///
/// The workflows themselves are ``GuestAttachment`` and ``GuestDetachment``; this service
/// adds what a front end would otherwise compose itself: the checks that must come before
/// the state database exists, rendering the interface in the asked form, and crash repair.
/// It does not serialise operations: a front end runs ``attach(_:)`` and ``detach(_:)``
/// while holding the host's operation lock (the CLI's `HostServices.exclusively`).
public struct AttachmentService: Sendable {
    /// What ``attach(_:)`` returns: the result and the interface rendered as asked.
    public struct Attached: Sendable {
        /// The attachment (also the `--format json` output).
        public var result: AttachmentResult
        /// The interface in the request's ``AttachRequest/output`` form: libvirt XML or the
        /// Xen `pci` line; `nil` for JSON.
        public var rendered: String?
    }

    /// The ports and configuration.
    public let environment: AttachmentEnvironment

    /// Creates the service over `environment`.
    public init(environment: AttachmentEnvironment) { self.environment = environment }

    /// Checks `request` against `config` alone (names, values, the network, the MAC pool),
    /// so that a front end can refuse bad input before it creates the state database or
    /// its lock. ``attach(_:)`` runs the same checks again.
    public static func check(_ request: AttachRequest, config: HostConfig) throws(SRIOVError) {
        try GuestAttachment.checkRequest(request, config: config)
    }

    /// Attaches: repairs interrupted runs, chooses or reuses the VF, records the intent,
    /// programs the VF, marks it applied, and with ``AttachRequest/libvirt`` attaches the
    /// interface in libvirt. When it throws, the database and the VF are as before.
    public func attach(_ request: AttachRequest) throws(SRIOVError) -> Attached {
        let result = try GuestAttachment(environment: environment).run(request)
        return Attached(result: result, rendered: try Self.render(result, as: request.output))
    }

    /// `result` in the form `output`: the interface (libvirt XML or the Xen line), or with a
    /// failover pair the two libvirt devices, virtio first; `nil` for JSON.
    public static func render(_ result: AttachmentResult, as output: AttachOutputFormat) throws(SRIOVError) -> String? {
        if let pair = result.failover, output == .libvirt {
            return try LibvirtFailoverXML.renderBoth(result.interface, pair: pair)
        }
        return try output.render(result.interface)
    }

    /// Detaches: with ``DetachRequest/libvirt`` detaches the interface in libvirt first, puts
    /// the VF back, frees it and keeps (or with ``DetachRequest/forget`` drops) the lease.
    public func detach(_ request: DetachRequest) throws(SRIOVError) -> DetachResult {
        try GuestDetachment(environment: environment).run(request)
    }

    /// Completes or rolls back what a crashed attach or detach left (``IntentRepair``);
    /// ``attach(_:)`` and ``detach(_:)`` do this first themselves.
    public func repairInterrupted() throws(SRIOVError) -> IntentRepair.Report {
        try environment.repair.run()
    }
}

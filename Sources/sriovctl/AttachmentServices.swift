import ArgumentParser
import FoundationEssentials
import Glibc
import SRIOVCore
import SRIOVLibvirt
import SRIOVLinux
import SRIOVStore
import SRIOVStorePostgres
import SRIOVFrontEnd

/// The composition root's part for attach, detach and leases: the state database, the
/// host adapters, and libvirt when asked for.
extension HostServices {
    /// The state database: the fleet's PostgreSQL database when the config names one (and
    /// `--db` is not given), else the SQLite file at `--db` (created 0600 when missing).
    func stateStore() throws(SRIOVError) -> any StateStoring {
        if let fleet {
            return try PostgresStateStore(target: fleet.target, host: try fleet.host(), programVersion: SriovctlVersion.current,
                                          cache: FleetAssignmentCache(directory: fleet.settings.localDirectory), logger: logger)
        }
        return try SQLiteStateStore(path: databasePath, programVersion: SriovctlVersion.current)
    }

    /// The state database opened read-only (`leases`, `audit` without `--fix`): an SQLite
    /// file must exist, and its bytes are never changed; a writer is never waited for.
    func stateReader() throws(SRIOVError) -> any StateStoring {
        if let fleet {
            return try PostgresStateStore(target: fleet.target, host: try fleet.host(), programVersion: SriovctlVersion.current,
                                          access: .readOnly, logger: logger)
        }
        return try sqliteStateReader()
    }

    /// The SQLite file at `--db`, read-only, for the commands that work on the file itself
    /// (`state check`, `state backup`); refused when the config names a fleet database.
    func sqliteStateReader() throws(SRIOVError) -> SQLiteStateStore {
        try requireSQLite()
        return try SQLiteStateStore(path: databasePath, programVersion: SriovctlVersion.current, access: .readOnly)
    }

    /// `audit --fleet`: every host's records from the fleet database, checked together.
    func fleetAuditReport(generator: String) throws(SRIOVError) -> AuditReport {
        guard let fleet else {
            throw SRIOVError(.invalidValue, "audit --fleet needs a fleet state database (config state: url postgresql://…); "
                             + "for hosts with their own SQLite files, merge their JSON reports with audit --merge")
        }
        let store = try PostgresStateStore(target: fleet.target, host: try fleet.host(), programVersion: SriovctlVersion.current,
                                           access: .readOnly, logger: logger)
        return AuditReport(generator: generator, host: nil, hosts: [], findings: AuditFleetRecords.findings(try store.fleetAssignments()))
    }

    /// Refuses, for the commands that work on the SQLite file itself, a fleet database.
    func requireSQLite() throws(SRIOVError) {
        if let fleet {
            throw SRIOVError(.notSupported, "the state database is \(fleet.target) (config state:); this command works on "
                             + "an SQLite file: give it with --db, or use PostgreSQL's own tools (pg_dump, amcheck)")
        }
    }

    /// True when there is a state database to read: always for a fleet database, else when
    /// the SQLite file exists (nothing is created to find out).
    func stateExists() throws(SRIOVError) -> Bool {
        if fleet != nil { return true }
        return try StateDatabaseLocation.resolve(databasePath).exists
    }

    /// The files an output (`audit --output`, `state backup`) must never replace: the state
    /// database, its companions, and the config file; compared by device and inode.
    func protectedFiles() -> [OutputFileWriter.Protected] {
        var files = [OutputFileWriter.Protected(path: databasePath, role: "the state database"),
                     .init(path: options.configFile, role: "the config file")]
        let base = (try? StateDatabaseLocation.resolve(databasePath).resolved) ?? databasePath
        for (suffix, role) in [("-wal", "the state database's write-ahead log"), ("-shm", "the state database's shared memory file"),
                               (".lock", "the state database's lock file")] {
            files.append(.init(path: base + suffix, role: role))
            if base != databasePath { files.append(.init(path: databasePath + suffix, role: role)) }
        }
        return files
    }

    /// Runs `body` as the only sriovctl changing VFs and their records (``StateOperationLock``),
    /// saying on stderr when it has to wait. Open the state database first when it exists:
    /// the lock file must not be made next to a file that is not ours.
    /// With a fleet database the lock is this host's `local_dir/operation.lock`: it orders
    /// this host's netlink work; other hosts are kept apart by the database's transactions.
    func exclusively<T>(_ body: () throws(SRIOVError) -> T) throws(SRIOVError) -> T {
        if let fleet {
            return try StateOperationLock.holding(lockFile: fleet.lockFile, waiting: { printError("sriovctl: \($0)") }, body)
        }
        return try StateOperationLock.holding(databasePath: databasePath, waiting: { printError("sriovctl: \($0)") }, body)
    }

    /// ``existingStateStore()`` for `provision`: when the fleet database cannot be reached,
    /// this host's cache of its assignments (``FleetAssignmentCache``), saying so on stderr;
    /// the flag is true then (nothing can be recorded, so nothing is repaired).
    func existingStateStoreOrCache(
        announce: (String) -> Void = { printError("sriovctl: \($0)") }
    ) throws(SRIOVError) -> (store: (any StateStoring)?, fromCache: Bool) {
        do {
            return (try existingStateStore(), false)
        } catch let error where fleet != nil && PostgresStateStore.isUnreachable(error) {
            let cache = FleetAssignmentCache(directory: fleet!.settings.localDirectory)
            let content: FleetAssignmentCache.Content
            do {
                content = try cache.read()
            } catch let cacheError {
                throw SRIOVError(error.message + "; and no cache to work from: " + cacheError.message, causedBy: error)
            }
            announce(error.message)
            announce("provisioning from this host's cache \(cache.path) (written \(content.writtenAt), "
                     + "\(content.snapshot.assignments.count) assigned VFs); nothing is recorded until the database is back")
            return (CachedStateStore(content), true)
        }
    }

    /// The state database when it exists, `nil` (and nothing created) when it does not.
    func existingStateStore() throws(SRIOVError) -> (any StateStoring)? {
        try stateExists() ? try stateStore() : nil
    }

    /// ``exclusively(_:)`` for commands that must not create the state database (provision,
    /// `audit --fix`): an existing one is opened before the lock, so the lock file never goes
    /// next to a file that is not ours, and handed to `body`; when there was none, `body`
    /// gets the one an attach may have created while this command waited for the lock.
    func exclusivelyWithExistingStateStore<T>(
        _ body: ((any StateStoring)?) throws(SRIOVError) -> T
    ) throws(SRIOVError) -> T {
        let checked = try existingStateStore()
        return try exclusively { () throws(SRIOVError) in
            if let checked { return try body(checked) }
            return try body(try existingStateStore())
        }
    }

    /// Host interface MACs and PCI bindings from sysfs.
    var hostDevices: any HostDeviceInspecting { SysfsHostDevices(sysfs: sysfs) }

    /// libvirt at `uri` (default qemu:///system); read-only when only looking guests up.
    func guestDomains(uri: String?, readOnly: Bool = false) throws(SRIOVError) -> any GuestDomainControlling {
        try LibvirtGuestDomains(uri: uri ?? LibvirtGuestDomains.defaultURI, readOnly: readOnly)
    }

    /// True when the tests set `SRIOVCTL_TEST_UNPROGRAMMED_VFS=1`: attach and detach then use
    /// ``UnprogrammedVFLinks`` instead of netlink (a sysfs fixture has no kernel behind it).
    /// Not a command-line option: nothing a user types turns it on.
    var unprogrammedVFs: Bool { environment["SRIOVCTL_TEST_UNPROGRAMMED_VFS"] == "1" }

    /// Attach and detach over the host's adapters. `guests` is libvirt when the command may
    /// talk to it.
    func attachmentService(config: HostConfig, guests: (any GuestDomainControlling)?) throws(SRIOVError) -> AttachmentService {
        // The stand-in also names a PF without a netdev (QEMU's NVMe PF in the lab) by its
        // sysfs device, so the VF choice can be exercised on it; a real attach needs a netdev.
        let discovery = unprogrammedVFs ? UnprogrammedVFLinks.NamingNetdevlessPFs(base: self.discovery) : self.discovery
        var environment = AttachmentEnvironment(
            config: config, store: try stateStore(),
            links: unprogrammedVFs ? UnprogrammedVFLinks(discovery: discovery) : linkControl,
            discovery: discovery, devices: hostDevices, liveness: ProcProcessLiveness(), guests: guests)
        environment.numa = SysfsNUMATopology(sysfs: sysfs)
        return AttachmentService(environment: environment)
    }

    /// The audit over sysfs, netlink (with `netlink`), the state database and libvirt at
    /// `libvirtURI` (`nil`: not asked). `store` is the database when the caller opened it
    /// already; otherwise an existing one is opened, read-only unless `writable` (`--fix`).
    func auditService(hostName: String, netlink: Bool, libvirtURI: String?, store: (any StateStoring)?,
                      writable: Bool) throws(SRIOVError) -> AuditService {
        let database: AuditDatabase
        if let store {
            database = .store(store)
        } else if try stateExists() {
            // Without --fix the audit only reads: read-only, no migration, no waiting.
            database = .store(writable ? try stateStore() : try stateReader())
        } else {
            database = .absent(path: databasePath)
        }
        let guests = libvirtURI.map { (uri) -> Result<any GuestDomainControlling, SRIOVError> in
            Result { () throws(SRIOVError) in try guestDomains(uri: uri, readOnly: true) }
        }
        return AuditService(
            hostName: hostName, discovery: discovery, links: netlink ? linkControl : nil, hostDevices: hostDevices,
            stacking: SysfsInterfaceStacking(sysfs: sysfs), database: database,
            config: Result { () throws(SRIOVError) in try loadConfig() }, guests: guests, libvirtURI: libvirtURI)
    }
}

extension DomainChangeScope {
    /// The scope from the `--live` and `--config` flags (as virsh spells them).
    static func chosen(live: Bool, persistent: Bool) -> DomainChangeScope {
        var scope: DomainChangeScope = []
        if live { scope.insert(.live) }
        if persistent { scope.insert(.config) }
        return scope
    }
}

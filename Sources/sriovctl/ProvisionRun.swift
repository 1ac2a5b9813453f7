import SRIOVCore

extension HostServices {
    /// One `provision` run, as the command and the agent's `POST /v1/provision` do it: a dry
    /// run only plans; a real run plans and applies as the only sriovctl changing VFs (from
    /// reading the guests' VFs to its last request: a detach finishing meanwhile must not get
    /// its guest's MAC back, and an attach creating the database meanwhile must not get a free
    /// VF's defaults). `showPlan` gets the plan before it is applied. Returns the plan's
    /// report and the outcome's, `nil` when nothing ran.
    func provision(_ service: ProvisioningService, config: HostConfig, options: ProvisionOptions, dryRun: Bool,
                   showPlan: (ProvisioningService.Prepared) -> Void) throws(SRIOVError) -> (ProvisionReport, ProvisionReport?) {
        guard !dryRun else {
            let (store, _) = try existingStateStoreOrCache()
            let prepared = try service.prepare(config: config, store: store, options: options, dryRun: true)
            return (prepared.report, nil)
        }
        if fleet != nil {
            // A fleet database: the cache when it is unreachable; this host's lock all the same.
            let (store, fromCache) = try existingStateStoreOrCache()
            var options = options
            options.repairInterrupted = !fromCache
            return try exclusively { () throws(SRIOVError) in
                let prepared = try service.prepare(config: config, store: store, options: options)
                if prepared.nothingToDo { return (prepared.report, nil) }
                showPlan(prepared)
                return (prepared.report, service.apply(prepared))
            }
        }
        return try exclusivelyWithExistingStateStore { (store) throws(SRIOVError) in
            let prepared = try service.prepare(config: config, store: store, options: options)
            if prepared.nothingToDo { return (prepared.report, nil) }
            showPlan(prepared)
            return (prepared.report, service.apply(prepared))
        }
    }
}

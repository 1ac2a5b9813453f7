import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import SRIOVCore
import SRIOVLinux
import UnixSignals

/// The agent's reconciler: listens to kernel events, coalesces them per PF, runs passes
/// (``AgentPass``) one at a time, runs a full pass every `full_pass_interval`, re-reads the
/// config on SIGHUP, and talks to systemd (READY=1 after the first full pass, WATCHDOG=1).
///
/// Passes run on a thread of their own (they block on sysfs, netlink and SQLite), never on
/// the cooperative pool. On graceful shutdown (SIGTERM) the pass in flight finishes, then
/// `run()` returns.
struct ReconcileService: Service {
    let runtime: AgentRuntime
    let logger: Logger
    let notifier: SystemdNotifier
    let sockets: KernelEventSockets

    /// State only the pass queue touches.
    private final class PassState: @unchecked Sendable {
        var flapGuard: FlapGuard
        var router = PFEventRouter()
        init(settings: AgentSettings) {
            flapGuard = FlapGuard(maxRepairs: settings.flapMaxRepairs, windowMilliseconds: settings.flapWindowMilliseconds,
                                  holdOffMilliseconds: settings.flapHoldOffMilliseconds)
        }
    }

    private static let passQueue = DispatchQueue(label: "sriovctl.agent.pass")
    private static let start = ContinuousClock.now

    /// Milliseconds since the agent started, on the monotonic clock.
    static func monotonicMilliseconds() -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    func run() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: AgentInput.self, bufferingPolicy: .unbounded)
        runtime.connect(continuation)
        let listener = Thread { [sockets] in
            while true {
                let received = sockets.receive()
                if received.stopped { return }
                if received.events.isEmpty && received.errors == 0 && !received.overrun { continue }
                continuation.yield(.kernel(KernelEventBatch(events: received.events, errors: received.errors,
                                                            overrun: received.overrun, lastError: received.lastError)))
            }
        }
        listener.name = "sriovctl-agent-events"
        listener.start()
        let hangups = Task {
            for await _ in await UnixSignalsSequence(trapping: .sighup) { continuation.yield(.reload) }
        }
        var sleeper: Task<Void, Never>?
        defer {
            sockets.stop()
            hangups.cancel()
            sleeper?.cancel()
            runtime.connect(nil)
            continuation.finish()
        }

        var settings = runtime.config.agent
        let state = PassState(settings: settings)
        var coalescer = PassCoalescer(settleMilliseconds: settings.settleMilliseconds,
                                      maxDelayMilliseconds: settings.maxDelayMilliseconds)
        var scheduled: Int?
        var reasons: [PassTarget: AgentTrigger] = [:]   // targets waiting for another reason than events

        await pass(.everyPF, trigger: .startup, state: state)
        runtime.markReady()
        notify("READY=1\nSTATUS=first pass done; watching for changes")
        var nextFullPass = Self.monotonicMilliseconds() + settings.fullPassIntervalMilliseconds
        var nextVFCountCheck = settings.vfCountCheckMilliseconds > 0
            ? Self.monotonicMilliseconds() + settings.vfCountCheckMilliseconds : nil
        let sysfs = SysfsTree(root: runtime.options.sysfsRoot)
        var nextWatchdog = notifier.watchdogIntervalMilliseconds.map { Self.monotonicMilliseconds() + $0 }
        if nextWatchdog != nil { notify("WATCHDOG=1") }

        func schedule() {
            let deadline = [coalescer.nextDeadline, nextFullPass, nextWatchdog, nextVFCountCheck].compactMap { $0 }.min()!
            guard deadline != scheduled else { return }
            scheduled = deadline
            sleeper?.cancel()
            let wait = max(0, deadline - Self.monotonicMilliseconds())
            sleeper = Task {
                try? await Task.sleep(for: .milliseconds(wait))
                if !Task.isCancelled { continuation.yield(.tick) }
            }
        }
        schedule()

        for await input in stream.cancelOnGracefulShutdown() {
            let now = Self.monotonicMilliseconds()
            switch input {
            case .kernel(let batch):
                runtime.statistics.update {
                    $0.eventsReceived += batch.events.count
                    $0.netlinkErrors += batch.errors
                }
                if let error = batch.lastError {
                    logger.warning("event socket: \(error)\(batch.overrun ? "; looking at every PF" : "")")
                }
                if batch.overrun { coalescer.record(.everyPF, at: now) }
                let router = Self.passQueue.sync { state.router }
                for event in batch.events {
                    if let target = router.target(for: event) { coalescer.record(target, at: now) }
                }
            case .reload:
                do throws(SRIOVError) {
                    let config = try HostServices(options: runtime.options).loadConfig()
                    runtime.replaceConfig(config)
                    runtime.statistics.update { $0.configReloads["applied", default: 0] += 1 }
                    logger.notice("config reloaded from \(runtime.options.configFile)")
                    if config.agent != settings {
                        settings = config.agent
                        coalescer = PassCoalescer(settleMilliseconds: settings.settleMilliseconds,
                                                  maxDelayMilliseconds: settings.maxDelayMilliseconds)
                        Self.passQueue.sync { state.flapGuard = PassState(settings: settings).flapGuard }
                        nextFullPass = now + settings.fullPassIntervalMilliseconds
                        nextVFCountCheck = settings.vfCountCheckMilliseconds > 0 ? now + settings.vfCountCheckMilliseconds : nil
                    }
                    reasons[.everyPF] = .reload
                    coalescer.record(.everyPF, at: now - settings.maxDelayMilliseconds)
                } catch {
                    runtime.statistics.update { $0.configReloads["rejected", default: 0] += 1 }
                    logger.error("config not reloaded, the previous one stays in force: \(error.message)")
                }
            case .tick:
                scheduled = nil
            case .api(let target):
                if reasons[target] == nil { reasons[target] = .api }
                coalescer.record(target, at: now - settings.maxDelayMilliseconds)
            }

            let due = Self.monotonicMilliseconds()
            if let watchdog = nextWatchdog, due >= watchdog, let interval = notifier.watchdogIntervalMilliseconds {
                notify("WATCHDOG=1")
                nextWatchdog = due + interval
            }
            if let check = nextVFCountCheck, due >= check {
                let router = Self.passQueue.sync { state.router }
                for target in router.vfCountChanges(reading: { file in
                    sysfs.read(file).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                }) {
                    logger.info("sriov_numvfs of \(target) changed without an event")
                    coalescer.record(target, at: due - settings.settleMilliseconds)
                }
                nextVFCountCheck = due + settings.vfCountCheckMilliseconds
            }
            if due >= nextFullPass {
                coalescer.forget(.everyPF)
                reasons.removeAll()
                await pass(.everyPF, trigger: .timer, state: state)
                nextFullPass = Self.monotonicMilliseconds() + settings.fullPassIntervalMilliseconds
            }
            for (target, _) in coalescer.takeDue(at: Self.monotonicMilliseconds()) {
                let trigger = reasons.removeValue(forKey: target) ?? .event
                if target == .everyPF { reasons.removeAll() }
                await pass(target, trigger: trigger, state: state)
                if target == .everyPF { nextFullPass = Self.monotonicMilliseconds() + settings.fullPassIntervalMilliseconds }
            }
            schedule()
        }
        notify("STOPPING=1")
        logger.notice("agent stopping")
    }

    /// Runs one pass on the pass queue, counts and logs it.
    private func pass(_ target: PassTarget, trigger: AgentTrigger, state: PassState) async {
        let runtime = self.runtime
        let logger = self.logger
        let config = runtime.config
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Self.passQueue.async {
                let clock = ContinuousClock()
                let started = clock.now
                let pass = AgentPass(services: HostServices(options: runtime.options, label: "sriovctl-agent"),
                                     config: config, logger: logger, statistics: runtime.statistics,
                                     now: { ReconcileService.monotonicMilliseconds() })
                let outcome = pass.run(target, trigger: trigger, flapGuard: &state.flapGuard)
                if let inventory = outcome.inventory { state.router = PFEventRouter(inventory: inventory) }
                let elapsed = clock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                runtime.statistics.update {
                    $0.recordPass(trigger: trigger, seconds: seconds, succeeded: outcome.succeeded,
                                  endedAt: Date().timeIntervalSince1970)
                }
                let milliseconds = Int(seconds * 1000)
                logger.info("pass done: \(target), trigger \(trigger), \(outcome.repairs) repairs, \(outcome.failures.count) failures, \(milliseconds) ms")
                done.resume()
            }
        }
    }

    private func notify(_ state: String) {
        if let error = notifier.notify(state) { logger.warning("systemd notify: \(error)") }
    }
}

/// Turns a stream of events into few passes: each target waits until its events stop for
/// a quiet period, then comes due once. Pure: the caller passes the time (milliseconds on a
/// monotonic clock) to every call, so tests drive it without sleeping.
///
/// A PF reset sends hundreds of link messages over a second or two; they all land on the
/// same target and make one pass after the last one. A stream that never stops still gets a
/// pass every ``maxDelayMilliseconds``. A pending ``PassTarget/everyPF`` covers every PF: when
/// it comes due, the single-PF targets waiting with it come due too (they are in it).
public struct PassCoalescer: Sendable {
    private struct Pending: Sendable {
        var first: Int
        var last: Int
        var events: Int
    }

    /// How long a target must be quiet before it is due.
    public let settleMilliseconds: Int
    /// The longest a target waits from its first event.
    public let maxDelayMilliseconds: Int
    private var pending: [PassTarget: Pending] = [:]

    /// Creates a coalescer. `maxDelayMilliseconds` below `settleMilliseconds` is raised to it.
    public init(settleMilliseconds: Int, maxDelayMilliseconds: Int) {
        self.settleMilliseconds = max(0, settleMilliseconds)
        self.maxDelayMilliseconds = max(self.settleMilliseconds, maxDelayMilliseconds)
    }

    /// Notes an event for `target` at time `now`.
    public mutating func record(_ target: PassTarget, at now: Int) {
        if var entry = pending[target] {
            entry.last = max(entry.last, now)
            entry.events += 1
            pending[target] = entry
        } else {
            pending[target] = Pending(first: now, last: now, events: 1)
        }
    }

    /// True when no target is waiting.
    public var isEmpty: Bool { pending.isEmpty }

    /// The targets waiting, with how many events each has gathered.
    public var waiting: [PassTarget: Int] { pending.mapValues(\.events) }

    /// When the next target comes due, `nil` when none waits. May be in the past.
    public var nextDeadline: Int? {
        pending.values.map { deadline(of: $0) }.min()
    }

    /// Removes and returns the targets due at `now`, with their event counts: ``PassTarget/everyPF``
    /// first (and alone, with every waiting target folded into it) when it is due.
    public mutating func takeDue(at now: Int) -> [(target: PassTarget, events: Int)] {
        if let every = pending[.everyPF], deadline(of: every) <= now {
            let events = pending.values.reduce(0) { $0 + $1.events }
            pending.removeAll()
            return [(.everyPF, events)]
        }
        let due = pending.filter { deadline(of: $0.value) <= now }
        for key in due.keys { pending[key] = nil }
        return due.map { ($0.key, $0.value.events) }.sorted { $0.target.description < $1.target.description }
    }

    /// Forgets what is waiting for `target` (a pass for it just started from other news),
    /// or everything for ``PassTarget/everyPF``.
    public mutating func forget(_ target: PassTarget) {
        if target == .everyPF { pending.removeAll() } else { pending[target] = nil }
    }

    private func deadline(of entry: Pending) -> Int {
        min(entry.last + settleMilliseconds, entry.first + maxDelayMilliseconds)
    }
}

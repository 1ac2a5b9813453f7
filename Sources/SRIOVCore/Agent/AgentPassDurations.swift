/// A histogram of pass durations (`sriovctl_pass_duration_seconds`), kept by the agent's
/// statistics holder: fixed upper bounds in seconds, a count per bucket, the sum and the count.
public struct AgentPassDurations: Hashable, Sendable {
    /// The buckets' upper bounds in seconds, ascending; `+Inf` is implied.
    public let upperBounds: [Double]
    /// Passes at or under each bound (not cumulative; the exposition adds them up).
    public private(set) var bucketCounts: [Int]
    /// Passes longer than the last bound.
    public private(set) var overflowCount: Int = 0
    /// All durations added up, in seconds.
    public private(set) var sum: Double = 0
    /// Passes recorded.
    public private(set) var count: Int = 0

    /// The default bounds: 5 ms to 60 s.
    public static let defaultUpperBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// An empty histogram with `upperBounds` (ascending).
    public init(upperBounds: [Double] = AgentPassDurations.defaultUpperBounds) {
        self.upperBounds = upperBounds
        self.bucketCounts = Array(repeating: 0, count: upperBounds.count)
    }

    /// A histogram already counted: `bucketCounts` per bound (not cumulative, one per bound),
    /// `overflowCount` over the last bound.
    public init(upperBounds: [Double], bucketCounts: [Int], overflowCount: Int, sum: Double, count: Int) {
        self.upperBounds = upperBounds
        self.bucketCounts = bucketCounts
        self.overflowCount = overflowCount
        self.sum = sum
        self.count = count
    }

    /// Adds one pass that took `seconds`.
    public mutating func record(seconds: Double) {
        if let index = upperBounds.firstIndex(where: { seconds <= $0 }) {
            bucketCounts[index] += 1
        } else {
            overflowCount += 1
        }
        sum += seconds
        count += 1
    }

    /// Passes at or under each bound, cumulative as Prometheus writes `le` buckets.
    public var cumulativeCounts: [Int] {
        var total = 0
        return bucketCounts.map { total += $0; return total }
    }
}

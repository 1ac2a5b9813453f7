/// Every endpoint of the local API (docs/agent-api.yaml), matched by path and method.
public enum AgentRoute: String, Hashable, Sendable, CaseIterable {
    case health = "/v1/health"
    case attach = "/v1/attach"
    case detach = "/v1/detach"
    case leases = "/v1/leases"
    case provision = "/v1/provision"
    case audit = "/v1/audit"
    case auditFix = "/v1/audit/fix"
    case showVFs = "GET /v1/pfs/{pf}/vfs"
    case applyVFs = "POST /v1/pfs/{pf}/vfs"
    case metrics = "/metrics"

    /// The route's label in `sriovctl_api_requests_total{route=…}`: its path template.
    public var label: String {
        switch self {
        case .showVFs, .applyVFs: "/v1/pfs/{pf}/vfs"
        default: rawValue
        }
    }

    /// What a request's method and path matched.
    public enum Match: Hashable, Sendable {
        /// An endpoint; `pf` is the path's PF for the VF routes.
        case route(AgentRoute, pf: String?)
        /// A known path asked with a method it does not take (405); `allowed` for the Allow header.
        case methodNotAllowed(path: String, allowed: [String])
        /// No such path (404).
        case notFound
    }

    /// Which endpoint `method` and `path` (query removed) name. With `metricsOnly` (the TCP
    /// listener), every path but `/metrics` is unknown.
    public static func match(method: String, path: String, metricsOnly: Bool = false) -> Match {
        let fixed: [String: (String, AgentRoute)] = metricsOnly
            ? ["/metrics": ("GET", .metrics)]
            : ["/v1/health": ("GET", .health), "/v1/attach": ("POST", .attach), "/v1/detach": ("POST", .detach),
               "/v1/provision": ("POST", .provision),
               "/v1/leases": ("GET", .leases), "/v1/audit": ("GET", .audit), "/v1/audit/fix": ("POST", .auditFix),
               "/metrics": ("GET", .metrics)]
        if let (allowed, route) = fixed[path] {
            return method == allowed ? .route(route, pf: nil) : .methodNotAllowed(path: route.label, allowed: [allowed])
        }
        guard !metricsOnly else { return .notFound }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "v1", parts[2] == "pfs", parts[4] == "vfs",
              !parts[3].isEmpty else { return .notFound }
        let pf = String(parts[3])
        switch method {
        case "GET": return .route(.showVFs, pf: pf)
        case "POST": return .route(.applyVFs, pf: pf)
        default: return .methodNotAllowed(path: "/v1/pfs/{pf}/vfs", allowed: ["GET", "POST"])
        }
    }
}

public import Foundation
public import SRIOVCore

/// A private PostgreSQL 15 cluster for the tests: made with Debian's `initdb` in a
/// temporary directory, started with `pg_ctl` on a unix socket there
/// (`listen_addresses=''`: nothing listens on the network), with one role, `sriovctl`,
/// that logs in with a password (SCRAM), stopped when the test process exits.
///
/// One cluster serves a whole test run (``shared``); each test takes a database of its
/// own (``createDatabase()``). `initdb` refuses to run as root, so the cluster runs as the
/// `postgres` user (`runuser`). A cluster left by a test process that crashed is stopped
/// and removed by the next run. Tests check ``unavailableReason`` and skip with it.
public final class PostgresTestCluster: Sendable {
    /// Debian's PostgreSQL 15 programs (`apt-get install postgresql`).
    public static let binDirectory = "/usr/lib/postgresql/15/bin"
    /// The role the tests log in as.
    public static let user = "sriovctl"

    /// The cluster's directory (data, socket, log, password files).
    public let directory: String
    /// The directory of the unix socket.
    public var socketDirectory: String { directory + "/socket" }
    /// A 0600 root-owned file holding the role's password (what `password_file:` names).
    public var passwordFile: String { directory + "/client-password" }
    /// The role's password (tests check it never appears in output).
    public let password: String

    /// Why the tests cannot run a cluster here, or `nil` when they can.
    public static var unavailableReason: String? {
        for program in ["initdb", "pg_ctl", "createdb"] where !FileManager.default.isExecutableFile(atPath: "\(binDirectory)/\(program)") {
            return "\(binDirectory)/\(program) is missing: install Debian's postgresql package (scripts/install-deps.sh)"
        }
        guard getuid() == 0 else { return "the private PostgreSQL cluster runs as the postgres user: run the tests as root" }
        guard getpwnam("postgres") != nil else { return "no postgres user (Debian's postgresql package makes it)" }
        return nil
    }

    /// The cluster of this test run, started on first use, stopped at exit.
    public static var shared: PostgresTestCluster {
        get throws {
            switch sharedCluster {
            case .success(let cluster): return cluster
            case .failure(let error): throw error
            }
        }
    }

    private static let sharedCluster: Result<PostgresTestCluster, any Error> = {
        Result {
            let cluster = try PostgresTestCluster.start()
            atexit { try? PostgresTestCluster.shared.stop() }
            return cluster
        }
    }()

    private init(directory: String, password: String) {
        self.directory = directory
        self.password = password
    }

    /// Makes and starts a new cluster.
    public static func start() throws -> PostgresTestCluster {
        if let reason = unavailableReason { throw ClusterError(reason) }
        removeAbandoned()
        let directory = NSTemporaryDirectory() + "sriovctl-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let password = "pw-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try FileManager.default.createDirectory(atPath: directory + "/socket", withIntermediateDirectories: true)
        try Data(password.utf8).write(to: URL(fileURLWithPath: directory + "/server-password"))
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/client-password"))
        chmod(directory + "/client-password", 0o600)
        try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: directory + "/owner-pid"))
        try run("/bin/chown", ["-R", "postgres:postgres", directory])
        chown(directory + "/client-password", 0, 0)
        chmod(directory, 0o711)
        try asPostgres("initdb", ["-D", directory + "/data", "-U", user, "--pwfile=" + directory + "/server-password",
                                  "--auth-local=scram-sha-256", "--auth-host=reject", "--no-sync", "-E", "UTF8",
                                  "--locale=C"])
        let cluster = PostgresTestCluster(directory: directory, password: password)
        try cluster.startServer()
        return cluster
    }

    /// Starts the server (again, after ``stopServer()``); returns when it accepts connections.
    public func startServer() throws {
        try Self.asPostgres("pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60",
                                       "-o", "-c listen_addresses='' -k \(socketDirectory) -c fsync=off -c max_connections=200",
                                       "start"])
    }

    /// Stops the server (fast shutdown: open connections are ended), keeping its data.
    public func stopServer() throws {
        try Self.asPostgres("pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
    }

    /// Stops the server and removes the cluster.
    public func stop() throws {
        try? stopServer()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A new, empty database of its own, as a target with the password file.
    public func createDatabase() throws -> PostgresTarget {
        let name = "t\(UInt64.random(in: 0...UInt64.max))"
        try Self.run("\(Self.binDirectory)/createdb", ["-h", socketDirectory, "-U", Self.user, name],
                     environment: ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"])
        return PostgresTarget(user: Self.user, socketDirectory: socketDirectory, database: name, passwordFile: passwordFile)
    }

    /// The `state:` url of `target` for a config file.
    public static func url(_ target: PostgresTarget) -> String {
        "postgresql://\(target.user)@/\(target.database)?host=\(target.socketDirectory ?? "")"
    }

    /// Runs SQL through `psql` as the test role, for tests that change a database behind
    /// sriovctl's back; returns psql's output (unaligned, tuples only).
    public func psql(_ target: PostgresTarget, _ sql: String) throws -> String {
        try Self.run("\(Self.binDirectory)/psql", ["-h", socketDirectory, "-U", Self.user, "-d", target.database,
                                                   "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                     environment: ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"])
    }

    /// Stops and removes clusters whose test process is gone.
    private static func removeAbandoned() {
        let temp = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temp)) ?? [] where name.hasPrefix("sriovctl-pg-") {
            let path = temp + name
            guard let text = FileManager.default.contents(atPath: path + "/owner-pid"),
                  let pid = Int32(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                  kill(pid, 0) != 0 else { continue }
            _ = try? asPostgres("pg_ctl", ["-D", path + "/data", "-m", "immediate", "-w", "stop"])
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    @discardableResult
    private static func asPostgres(_ program: String, _ arguments: [String]) throws -> String {
        try run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(binDirectory)/\(program)"] + arguments,
                environment: ["PATH": "/usr/bin:/bin", "LANG": "C"])
    }

    /// Runs `program` and waits for it with `posix_spawn` and `waitpid`, its output in a
    /// file: `pg_ctl start` leaves a server behind, and Foundation's `Process` was seen to
    /// wait forever for the `runuser` that started it (a zombie it never reaped).
    @discardableResult
    private static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let output = NSTemporaryDirectory() + "sriovctl-pg-out-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; env.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, env)
        guard spawned == 0 else { throw ClusterError("\(program): cannot start it (errno \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (FileManager.default.contents(atPath: output)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw ClusterError("\(program) \(arguments.prefix(3).joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    /// Why the cluster could not be made or driven.
    public struct ClusterError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}

import SRIOVCore
import Testing

@Suite("State store url (config state:)")
struct StateStoreURLTests {
    @Test("sqlite:///PATH names a file; postgresql:// names a server, a socket directory, TLS and a password file")
    func parses() throws {
        #expect(try StateStoreURL(parsing: "sqlite:///var/lib/sriovctl/state.db") == .sqlite(path: "/var/lib/sriovctl/state.db"))
        let tcp = try StateStoreURL(parsing: "postgresql://sriovctl@db.example:6432/fleet?sslmode=verify-full&sslrootcert=/etc/ca.pem",
                                    passwordFile: "/etc/sriovctl/db-password")
        #expect(tcp == .postgres(PostgresTarget(user: "sriovctl", host: "db.example", port: 6432, database: "fleet",
                                                sslMode: .verifyFull, sslRootCert: "/etc/ca.pem",
                                                passwordFile: "/etc/sriovctl/db-password")))
        let socket = try PostgresTarget(parsing: "postgres://sriovctl@/fleet?host=%2Frun%2Fpostgresql")
        #expect(socket.socketPath == "/run/postgresql/.s.PGSQL.5432" && socket.host == nil)
        #expect(socket.description == "postgresql://sriovctl@/fleet?host=/run/postgresql")
    }

    @Test("a password in the url is refused without repeating it; other mistakes are named")
    func refuses() {
        for (url, expected) in [
            ("postgresql://sriovctl:s3cret@db/fleet", "a password does not belong in the url"),
            ("postgresql://sriovctl@db/fleet?password=s3cret", "a password does not belong in the url"),
            ("postgresql://db/fleet", "name the role"),
            ("postgresql://u@db/fleet?sslmode=maybe", "sslmode 'maybe' is not one of"),
            ("postgresql://u@db:99999/fleet", "port '99999' is not 1-65535"),
            ("postgresql://u@db/", "name the database"),
            ("mysql://u@db/fleet", "unknown scheme 'mysql'"),
            ("sqlite://relative.db", "sqlite:///ABSOLUTE/PATH"),
        ] {
            #expect(Comment(rawValue: url)) {
                try StateStoreURL(parsing: url)
            } throws: { error in
                let message = (error as! SRIOVError).message
                return message.contains(expected) && !message.contains("s3cret")
            }
        }
    }
}

@Suite("Default MAC pool: a slice per host")
struct MACPoolHostSliceTests {
    @Test("two machine ids start in different slices of the default pool; the same id always in the same; allocation wraps")
    func slices() throws {
        let a = MACPool.default.startingInHostSlice(machineID: "8d2c3f00aa11bb22cc33dd44ee55ff66")
        let b = MACPool.default.startingInHostSlice(machineID: "0123456789abcdef0123456789abcdef")
        #expect(a == MACPool.default.startingInHostSlice(machineID: "8d2c3f00aa11bb22cc33dd44ee55ff66"))
        let first = try MACAllocator.allocate(from: a, avoiding: MACUsage(snapshot: StateSnapshot()))
        let other = try MACAllocator.allocate(from: b, avoiding: MACUsage(snapshot: StateSnapshot()))
        #expect(first != other, "two hosts' first guests get different MACs")
        #expect(first.octets[0] == 0x02 && first.octets[1] == 0x5a && first.octets[4] == 0 && first.octets[5] == 0)
        #expect(MACPool.default.contains(first) && MACPool.default.contains(other))
        // A pool whose start is its last MAC, that one taken: allocation wraps to the first.
        var small = MACPool(first: MACAddress("02:5a:00:00:00:00")!, last: MACAddress("02:5a:00:00:00:03")!)
        small.start = small.last
        var taken = StateSnapshot(networks: [NetworkDefinition(name: "n", pfs: [])])
        taken.guests = [GuestRecord(name: "g")]
        taken.leases = [LeaseRecord(key: LeaseKey(guest: "g", network: "n"), mac: small.last)]
        #expect(try MACAllocator.allocate(from: small, avoiding: MACUsage(snapshot: taken)) == MACAddress("02:5a:00:00:00:00"))
    }
}

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

import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
public import SRIOVCore

/// One PostgresNIO connection used synchronously: every call blocks the calling thread
/// until the server answered (`EventLoopFuture.wait()`).
///
/// The ``StateStoring`` port is synchronous, and the commands and the agent call it from
/// their own threads (a command's main thread, the agent's blocking work), never from a
/// NIO event loop; waiting on an event loop for work scheduled on that same loop would
/// deadlock, which NIO traps. The connection lives on NIO's shared event loop group.
/// Not thread-safe: ``PostgresStateStore`` serialises its use.
final class PostgresSession {
    /// A value bound to a `$n` placeholder.
    enum Value {
        case text(String?)
        case integer(Int?)
        case boolean(Bool)
    }

    let target: PostgresTarget
    private let password: String?
    private let logger: Logger
    private var connection: PostgresConnection?

    init(target: PostgresTarget, password: String?, logger: Logger) {
        self.target = target
        self.password = password
        self.logger = logger
    }

    deinit {
        if let connection { _ = try? bounded(connection.close()) }
    }

    /// How long a call waits for the server: twice the `lock_timeout` every session sets, the
    /// longest a healthy server makes a caller wait (``PostgresStateStore``'s writer lock).
    static let answerTimeout: Int64 = Int64(PostgresStateStore.lockTimeout) * 2

    /// The server did not answer within ``answerTimeout`` seconds.
    struct NoAnswer: Error, CustomStringConvertible {
        var description: String {
            "\(PostgresStateStore.unreachablePhrase) (no answer in \(PostgresSession.answerTimeout) s; the connection is dropped)"
        }
    }

    /// Waits for `future`, at most ``answerTimeout`` seconds. A server that stops while a query
    /// is on its way can leave PostgresNIO's future unanswered forever (seen: an attach blocked
    /// for 27 minutes while holding the host's operation lock); this makes it an error.
    private func bounded<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let promise = future.eventLoop.makePromise(of: T.self)
        future.cascade(to: promise)
        let deadline = future.eventLoop.scheduleTask(in: .seconds(Self.answerTimeout)) {
            promise.fail(NoAnswer())
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        do {
            return try promise.futureResult.wait()
        } catch let error as NoAnswer {
            // Dropped, not closed: a close would wait on the same silent connection.
            connection = nil
            throw error
        }
    }

    /// The open connection, (re)connecting when there is none or the server closed it.
    func open() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        let configuration: PostgresConnection.Configuration
        if let socket = target.socketPath {
            configuration = .init(unixSocketPath: socket, username: target.user, password: password,
                                  database: target.database)
        } else {
            configuration = .init(host: target.host ?? "localhost", port: target.port, username: target.user,
                                  password: password, database: target.database, tls: try Self.tls(for: target))
        }
        let opened = try bounded(PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                            configuration: configuration, id: 1, logger: logger))
        connection = opened
        // A writer waits this long for another's (PostgresStateStore's writer lock), then fails busy.
        _ = try bounded(opened.query(PostgresQuery(unsafeSQL: "SET lock_timeout = '\(PostgresStateStore.lockTimeout)s'"), logger: logger))
        return opened
    }

    /// Closes the connection (the next call opens a new one).
    func close() {
        if let connection { _ = try? bounded(connection.close()) }
        connection = nil
    }

    /// Runs `sql` with `values` bound to `$1`, `$2`, ... and returns every row.
    @discardableResult
    func query(_ sql: String, _ values: [Value] = []) throws -> [PostgresRandomAccessRow] {
        var binds = PostgresBindings()
        for value in values {
            switch value {
            case .text(let text): if let text { binds.append(text) } else { binds.appendNull() }
            case .integer(let number): if let number { binds.append(number) } else { binds.appendNull() }
            case .boolean(let flag): binds.append(flag)
            }
        }
        let result = try bounded(open().query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
        return result.rows.map { $0.makeRandomAccess() }
    }

    /// TLS for a TCP connection, as `sslmode` and `sslrootcert` ask.
    private static func tls(for target: PostgresTarget) throws -> PostgresConnection.Configuration.TLS {
        if target.sslMode == .disable { return .disable }
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch target.sslMode {
        case .disable: return .disable
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let roots = target.sslRootCert { configuration.trustRoots = .file(roots) }
        let context = try NIOSSLContext(configuration: configuration)
        return target.sslMode == .prefer ? .prefer(context) : .require(context)
    }
}

extension PostgresRandomAccessRow {
    /// The column `name` decoded as `T`, or a ``StoredRowError``-like message naming the column.
    func value<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self, table: String) throws -> T {
        do {
            return try self[name].decode(T.self)
        } catch {
            throw PostgresStoredValueError(table: table, column: name, expected: "\(T.self)")
        }
    }
}

/// A column whose value is not what the schema promises: the database was changed by hand
/// or by another program.
struct PostgresStoredValueError: Error, CustomStringConvertible {
    var table: String
    var column: String
    var expected: String

    var description: String { "table \(table): column \(column) does not hold a \(expected)" }
}

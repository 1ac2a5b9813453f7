import GRDB
public import SRIOVCore

/// One row read from a state table, decoded with checks: a value of the wrong type (an
/// integer column holding text after someone edited the file) is a ``StoredRowError``
/// naming the table, the row id and the column, never GRDB's `try!` crash.
struct StoredRow {
    let row: Row
    let table: String

    /// The row's `id` as text, for messages ("(none)" when it has none).
    var id: String {
        guard row.hasColumn("id") else { return "(none)" }
        let value: DatabaseValue = row["id"]
        return "\(value)"
    }

    /// The value of `column`; throws when it is missing, NULL or of another type.
    func value<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let value = try optional(column, as: type) else {
            throw StoredRowError(table: table, rowID: id, column: column, problem: "is NULL")
        }
        return value
    }

    /// The value of `column`, nil when NULL; throws when it is missing or of another type.
    func optional<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard row.hasColumn(column) else {
            throw StoredRowError(table: table, rowID: id, column: column, problem: "is missing")
        }
        let stored: DatabaseValue = row[column]
        if stored.isNull { return nil }
        guard let value = T.fromDatabaseValue(stored) else {
            throw StoredRowError(table: table, rowID: id, column: column,
                                 problem: "holds \(stored), not \(Self.phrase(for: type))")
        }
        return value
    }

    /// Every row of `sql`, each wrapped for `table`.
    static func fetchAll(_ db: Database, table: String, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [StoredRow] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { StoredRow(row: $0, table: table) }
    }

    private static func phrase<T>(for type: T.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type, is Int32.Type, is Bool.Type: "an integer"
        default: "a \(type)"
        }
    }
}

/// A stored row that does not decode: the table, the row id, the column and what is wrong.
struct StoredRowError: Error, CustomStringConvertible {
    let table: String
    let rowID: String
    let column: String
    let problem: String

    var description: String { "table \(table), row id \(rowID): column \(column) \(problem)" }
}

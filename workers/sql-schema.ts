import type { Database } from 'sql.js';
import type { SqlColumn, SqlForeignKey, SqlSchema, SqlTable } from './protocol.ts';

/** Quotes an identifier for SQLite (double quotes, inner quotes doubled); safe for any Unicode name. */
export function quoteIdent(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

/** Runs a query with bound parameters and returns all rows as arrays. */
function all(db: Database, sql: string, params: (string | number)[] = []): unknown[][] {
	const stmt = db.prepare(sql, params);
	try {
		const rows: unknown[][] = [];
		while (stmt.step()) rows.push(stmt.get());
		return rows;
	} finally {
		stmt.free();
	}
}

/** Reads tables and views with their columns, keys and (for tables) row counts. */
export function readSchema(db: Database, name: string): SqlSchema {
	const objects = all(
		db,
		`SELECT name, type, coalesce(sql, '') FROM sqlite_schema
		 WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
		 ORDER BY type, name`
	);
	const tables: SqlTable[] = objects.map(([tableName, type, sql]) => {
		const table = String(tableName);
		const columns: SqlColumn[] = all(
			db,
			'SELECT name, type, "notnull", pk FROM pragma_table_info(?)',
			[table]
		).map(([col, colType, notNull, pk]) => ({
			name: String(col),
			type: String(colType),
			notNull: notNull === 1,
			primaryKey: Number(pk) > 0
		}));
		const foreignKeys: SqlForeignKey[] =
			type === 'table'
				? all(db, 'SELECT "from", "table", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq', [
						table
					]).map(([from, target, to]) => ({
						from: String(from),
						table: String(target),
						// A foreign key naming no column refers to the target's primary key.
						to: to === null ? '' : String(to)
					}))
				: [];
		// Counting a view runs its query, which may be arbitrarily expensive, so views get no count.
		const rowCount =
			type === 'table' ? Number(all(db, `SELECT count(*) FROM ${quoteIdent(table)}`)[0][0]) : null;
		return {
			name: table,
			kind: type === 'view' ? 'view' : 'table',
			columns,
			foreignKeys,
			rowCount,
			sql: String(sql)
		};
	});
	return { db: name, tables };
}

import type { Database } from 'sql.js';

/** How to build one bundled sample database. */
export interface SampleSpec {
	/** File and database name, e.g. "school". */
	name: string;
	title: string;
	description: string;
	/** Creates the schema and rows in an empty database. */
	build(db: Database): void;
}

/** Inserts rows (arrays in column order) into a table in one transaction with one prepared statement. */
export function insertAll(db: Database, table: string, rows: unknown[][]): void {
	if (rows.length === 0) return;
	const marks = rows[0].map(() => '?').join(', ');
	const stmt = db.prepare(`INSERT INTO ${table} VALUES (${marks})`);
	db.exec('BEGIN');
	try {
		for (const row of rows) stmt.run(row as (string | number | null)[]);
		db.exec('COMMIT');
	} finally {
		stmt.free();
	}
}

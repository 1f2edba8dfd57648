import type { Database, SqlJsStatic, Statement } from 'sql.js';
import type { SqlResultSet, SqlValue } from './protocol.ts';
import { decodeUtf8Ignore } from './utf8-ignore.ts';

/** Reads the current row of a stepped statement: its values and one type letter per column. */
export type RowReader = (stmt: Statement, set: SqlResultSet) => { row: SqlValue[]; types: string };

// What this sql.js build has beyond @types/sql.js: `get` takes `{useBigInt}` (an INTEGER read
// exactly, as a BigInt of SQLite's text of it), `getBlob` reads any value's bytes (a number's as
// its text), and the module exports sqlite3_column_type / sqlite3_column_count.
interface TypedStatement {
	get(params?: null, config?: { useBigInt: boolean }): (SqlValue | bigint)[];
	getBlob(column: number): Uint8Array;
}
interface SqlModule {
	_sqlite3_column_type?: (stmt: number, column: number) => number;
	_sqlite3_column_count?: (stmt: number) => number;
}

const sqliteInteger = 1;
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);
const ascii = new TextDecoder();

/**
 * The fastest exact reader this sql.js offers. sql.js's plain `get` gives one number for INTEGER
 * and REAL; asking it for BigInts costs a text conversion per integer (about 4x slower rows), so
 * when the module exports sqlite3_column_type and the statement's pointer can be found (an own
 * property whose minified name changes between builds, found by its value), numbers are typed by
 * that call and only integers past 2^53 are re-read as text. Otherwise, the BigInt route.
 */
export function rowReader(SQL: SqlJsStatic, db: Database): RowReader {
	const module = SQL as unknown as SqlModule;
	const pointerKey = statementPointerKey(module, db);
	if (!pointerKey || !module._sqlite3_column_type) return readWithBigInt;
	const columnType = module._sqlite3_column_type;
	return (stmt, set) => {
		const typed = stmt as unknown as TypedStatement;
		const row = typed.get() as SqlValue[];
		const pointer = (stmt as unknown as Record<string, number>)[pointerKey];
		let letters = '';
		for (let c = 0; c < row.length; c++) {
			const v = row[c];
			if (typeof v === 'number') {
				if (columnType(pointer, c) !== sqliteInteger) letters += 'r';
				else {
					letters += 'i';
					if (!Number.isSafeInteger(v)) row[c] = BigInt(ascii.decode(typed.getBlob(c)));
				}
			} else letters += otherLetter(typed, row, c, set);
		}
		return { row, types: letters };
	};
}

/** The own property of a Statement that holds its sqlite3_stmt pointer, or null if none is found. */
function statementPointerKey(module: SqlModule, db: Database): string | null {
	if (!module._sqlite3_column_count || !module._sqlite3_column_type) return null;
	const probe = db.prepare('SELECT 1, 2.5, 3');
	try {
		probe.step();
		for (const [key, value] of Object.entries(probe)) {
			// Small numbers are counters (the bind position starts at 1), not heap addresses.
			if (typeof value !== 'number' || value < 1024) continue;
			try {
				if (
					module._sqlite3_column_count(value) === 3 &&
					module._sqlite3_column_type(value, 0) === sqliteInteger &&
					module._sqlite3_column_type(value, 1) !== sqliteInteger
				) {
					return key;
				}
			} catch {
				// Not a pointer after all: try the next property.
			}
		}
		return null;
	} finally {
		probe.free();
	}
}

/** The reader for builds without sqlite3_column_type: integers as BigInts, narrowed when safe. */
function readWithBigInt(stmt: Statement, set: SqlResultSet): { row: SqlValue[]; types: string } {
	const typed = stmt as unknown as TypedStatement;
	const row = typed.get(null, { useBigInt: true });
	let letters = '';
	for (let c = 0; c < row.length; c++) {
		const v = row[c];
		if (typeof v === 'bigint') {
			letters += 'i';
			if (v <= maxSafe && v >= -maxSafe) row[c] = Number(v);
		} else if (typeof v === 'number') letters += 'r';
		else letters += otherLetter(typed, row, c, set);
	}
	return { row, types: letters };
}

/**
 * The letter of a TEXT, BLOB or NULL value. sql.js decodes text with a non-fatal TextDecoder, so
 * bad bytes show as U+FFFD; such text is re-read as bytes and decoded as Python's
 * `errors="ignore"` does (a genuine U+FFFD survives that).
 */
function otherLetter(stmt: TypedStatement, row: SqlValue[], c: number, set: SqlResultSet): string {
	const v = row[c];
	if (typeof v === 'string') {
		if (v.includes('\uFFFD')) {
			const decoded = decodeUtf8Ignore(stmt.getBlob(c));
			row[c] = decoded.text;
			if (!decoded.valid) set.invalidUtf8 = true;
		}
		return 't';
	}
	return v === null ? 'n' : 'b';
}

/** Exposed for tests: the BigInt reader, which the engine uses when the fast one is unavailable. */
export const readRowWithBigInt: RowReader = readWithBigInt;

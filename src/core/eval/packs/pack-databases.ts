// The SQLite files of an SQL pack grouped by database: every file whose name holds `.sqlite` in a
// folder named after its db_id (`database/<db_id>/…`, BIRD's `dev_databases/<db_id>/…`), or a lone
// `<db_id>.sqlite`. Every file of a folder is a test-suite database (test-suite-sql-eval's rule).
import type { PackDatabase, PackFile } from '../pack.ts';
import { PackError } from './pack-error.ts';
import { baseName } from './pack-text.ts';

const sqliteHeader = 'SQLite format 3\0';

/** Whether a pack file is one of its databases (SQLite side files are not). */
export function isDatabaseFile(name: string): boolean {
	return baseName(name).includes('.sqlite') && !/-(journal|wal|shm)$/i.test(name);
}

/** The db_id a database file belongs to: its folder's name, or its own name for a lone file. */
function dbIdOf(name: string): string {
	const parts = name.split('/');
	if (parts.length >= 2) return parts[parts.length - 2];
	return baseName(name).replace(/\.sqlite.*$/i, '');
}

/** Whether bytes start as every SQLite database file does. */
function isSqlite(bytes: Uint8Array): boolean {
	if (bytes.length < 100) return false;
	for (let i = 0; i < sqliteHeader.length; i++) {
		if (bytes[i] !== sqliteHeader.charCodeAt(i)) return false;
	}
	return true;
}

/**
 * The databases of the db_ids the records use, each with its main `<db_id>.sqlite` first and the
 * rest in name order. A missing database throws, naming the first record that needs it.
 */
export function packDatabases(
	files: readonly PackFile[],
	needed: readonly { dbId: string; file: string; record: number }[]
): PackDatabase[] {
	const byId = new Map<string, PackFile[]>();
	for (const file of files) {
		if (!isDatabaseFile(file.name)) continue;
		const id = dbIdOf(file.name);
		byId.set(id, [...(byId.get(id) ?? []), file]);
	}
	const out: PackDatabase[] = [];
	const seen = new Set<string>();
	for (const { dbId, file, record } of needed) {
		if (seen.has(dbId)) continue;
		seen.add(dbId);
		const dbFiles = byId.get(dbId);
		if (!dbFiles) {
			throw new PackError(
				{ file, record, field: 'db_id', recordId: `db_id ${JSON.stringify(dbId)}` },
				`no database for this db_id in the pack (expected database/${dbId}/${dbId}.sqlite)`
			);
		}
		for (const f of dbFiles) {
			if (!isSqlite(f.bytes)) throw new PackError({ file: f.name }, 'not an SQLite database file');
		}
		const main = `${dbId}.sqlite`;
		dbFiles.sort((a, b) => {
			const am = baseName(a.name) === main ? 0 : 1;
			const bm = baseName(b.name) === main ? 0 : 1;
			return am - bm || (baseName(a.name) < baseName(b.name) ? -1 : 1);
		});
		out.push({ dbId, files: dbFiles });
	}
	return out;
}

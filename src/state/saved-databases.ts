// The SQL databases kept across reloads, in IndexedDB through idb-keyval. Only the SQL session's
// actions (a lazily loaded chunk) use them, so neither idb-keyval nor this module is on the
// first screen's path. Failures come back as values (src/state/persistence.ts), never thrown.
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { failedSave, type SaveOutcome } from './persistence.ts';

/** A database kept across reloads. */
export interface StoredDb {
	name: string;
	bytes: Uint8Array;
	/** Where it first came from: `sample:<name>`, `file:<filename>` or `new`. */
	origin: string;
	savedAt: number;
}

let store: UseStore | null = null;

function dbStore(): UseStore {
	store ??= createStore('execlab', 'databases');
	return store;
}

/** Saves a database's bytes under its name. */
export async function saveDb(db: StoredDb): Promise<SaveOutcome> {
	try {
		await set(db.name, db, dbStore());
		return { ok: true };
	} catch (e) {
		return failedSave(e);
	}
}

/** All saved databases, oldest first; empty when storage is unavailable. */
export async function loadDbs(): Promise<StoredDb[]> {
	try {
		const all = await entries<string, StoredDb>(dbStore());
		return all.map(([, v]) => v).sort((a, b) => a.savedAt - b.savedAt);
	} catch {
		return [];
	}
}

/** Forgets a saved database. */
export async function forgetDb(name: string): Promise<void> {
	try {
		await del(name, dbStore());
	} catch {
		// Nothing to forget when storage is unavailable.
	}
}

/** Whether a SQL text may have changed the database (so its bytes should be saved again). */
export function mayWrite(sql: string): boolean {
	const stripped = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
	return /\b(insert|update|delete|replace|create|drop|alter|vacuum|reindex|attach|detach|pragma\s+\w+\s*=)/i.test(
		stripped
	);
}

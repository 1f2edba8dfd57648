// Editor texts go to localStorage (small, read synchronously so the first paint already shows
// them); database bytes go to IndexedDB through idb-keyval. Storage can be full, disabled or
// private: every call reports failure as a value and never throws.
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { isQuotaError } from '../core/storage-quota.ts';

/** Outcome of a save. */
export type SaveOutcome = { ok: true } | { ok: false; quota: boolean; message: string };

/** A database kept across reloads. */
export interface StoredDb {
	name: string;
	bytes: Uint8Array;
	/** Where it first came from: `sample:<name>`, `file:<filename>` or `new`. */
	origin: string;
	savedAt: number;
}

const textPrefix = 'execlab:';
let store: UseStore | null = null;

function dbStore(): UseStore {
	store ??= createStore('execlab', 'databases');
	return store;
}

function failure(e: unknown): SaveOutcome {
	const quota = isQuotaError(e);
	const message = quota
		? 'Browser storage is full; this change will not survive a reload.'
		: `Could not save: ${e instanceof Error ? e.message : String(e)}`;
	return { ok: false, quota, message };
}

/** Reads a saved text (null when absent or storage is unavailable). */
export function loadText(key: string): string | null {
	try {
		return localStorage.getItem(textPrefix + key);
	} catch {
		return null;
	}
}

/** Saves a text. */
export function saveText(key: string, value: string): SaveOutcome {
	try {
		localStorage.setItem(textPrefix + key, value);
		return { ok: true };
	} catch (e) {
		return failure(e);
	}
}

/** Saves a database's bytes under its name. */
export async function saveDb(db: StoredDb): Promise<SaveOutcome> {
	try {
		await set(db.name, db, dbStore());
		return { ok: true };
	} catch (e) {
		return failure(e);
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

/** Returns a function that calls `fn` once `ms` have passed without another call; `flush` runs it now. */
export function debounce<A extends unknown[]>(
	fn: (...args: A) => void,
	ms: number
): ((...args: A) => void) & { flush(): void } {
	let timer: ReturnType<typeof setTimeout> | null = null;
	let last: A | null = null;
	const call = (...args: A) => {
		last = args;
		if (timer !== null) clearTimeout(timer);
		timer = setTimeout(call.flush, ms);
	};
	call.flush = () => {
		if (timer !== null) clearTimeout(timer);
		timer = null;
		if (last) {
			const a = last;
			last = null;
			fn(...a);
		}
	};
	return call;
}

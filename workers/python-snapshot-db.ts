// Where the Pyodide memory snapshot lives between page loads: IndexedDB (idb-keyval), read and
// written by the Python worker itself so its tens of MB never cross the page's main thread. Keyed
// by the pinned Pyodide version and the helper version (a hash of its Python sources): a snapshot
// of another build is never used.
import { createStore, del, delMany, get, keys, set, type UseStore } from 'idb-keyval';
import { pythonHelperVersion } from './python-helper-source.ts';

/** The Pyodide version this build pins (package.json); snapshots are only valid for it. */
export const pinnedPyodideVersion = '314.0.7';

/** Storage key of the snapshot valid for this build. */
export const snapshotKey = `pyodide-${pinnedPyodideVersion}-helper-${pythonHelperVersion}`;

/** Name of the IndexedDB database and object store holding the snapshot. */
export const snapshotDatabase = { db: 'execlab-python', store: 'snapshots' } as const;

let store: UseStore | null = null;
const open = () => (store ??= createStore(snapshotDatabase.db, snapshotDatabase.store));

/** What reading the stored snapshot gave: its bytes (null when none) and, when a read failed, why. */
export interface StoredSnapshotRead {
	bytes: Uint8Array | null;
	error?: string;
}

/**
 * The stored snapshot of this build (null when none is stored or IndexedDB is missing). A failed
 * read is tried once more, since a read of tens of MB can fail transiently under load; a second
 * failure is reported, not thrown: the worker then loads plainly and says why.
 */
export async function readStoredSnapshot(): Promise<StoredSnapshotRead> {
	let error = '';
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const value = await get<unknown>(snapshotKey, open());
			return { bytes: value instanceof Uint8Array && value.byteLength > 0 ? value : null };
		} catch (e) {
			error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
			if (attempt === 0) await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}
	return { bytes: null, error: `stored snapshot not read: ${error}` };
}

/** Stores the snapshot of this build, deleting other builds' keys; false when storage failed. */
export async function storeSnapshot(bytes: Uint8Array): Promise<boolean> {
	try {
		const stale = (await keys(open())).filter((key) => key !== snapshotKey);
		if (stale.length) await delMany(stale, open());
		await set(snapshotKey, bytes, open());
		return true;
	} catch {
		return false;
	}
}

/** Deletes the stored snapshot of this build (e.g. after it failed to load). */
export async function clearStoredSnapshot(): Promise<void> {
	await del(snapshotKey, open()).catch(() => undefined);
}

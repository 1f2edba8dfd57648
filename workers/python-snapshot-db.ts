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

/** The stored snapshot of this build, or null (none, no IndexedDB, or a read error). */
export async function readStoredSnapshot(): Promise<Uint8Array | null> {
	try {
		const value = await get<unknown>(snapshotKey, open());
		return value instanceof Uint8Array && value.byteLength > 0 ? value : null;
	} catch {
		return null;
	}
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

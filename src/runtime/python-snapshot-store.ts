// Where the Pyodide memory snapshot lives between page loads: IndexedDB (idb-keyval), keyed by
// the pinned Pyodide version and the helper version, so a snapshot of another build is never used.
import { createStore, del, delMany, get, keys, set, type UseStore } from 'idb-keyval';
import { pythonHelperVersion } from '../../workers/python-helper.ts';

/** The Pyodide version this build pins (package.json); snapshots are only valid for it. */
export const pinnedPyodideVersion = '314.0.7';

/** Storage key of the snapshot valid for this build. */
export const snapshotKey = `pyodide-${pinnedPyodideVersion}-helper-${pythonHelperVersion}`;

/** Persists snapshot bytes; every method may fail (private mode, quota), callers fall back. */
export interface SnapshotStore {
	load(): Promise<Uint8Array | null>;
	save(bytes: Uint8Array): Promise<void>;
	clear(): Promise<void>;
}

/** Name of the IndexedDB database and object store holding the snapshot. */
export const snapshotDatabase = { db: 'execlab-python', store: 'snapshots' } as const;

/** A SnapshotStore in IndexedDB; older keys (other versions) are deleted when saving. */
export function indexedDbSnapshotStore(): SnapshotStore {
	let store: UseStore | null = null;
	const open = () => (store ??= createStore(snapshotDatabase.db, snapshotDatabase.store));
	return {
		async load() {
			const value = await get<unknown>(snapshotKey, open());
			return value instanceof Uint8Array && value.byteLength > 0 ? value : null;
		},
		async save(bytes) {
			const stale = (await keys(open())).filter((key) => key !== snapshotKey);
			if (stale.length) await delMany(stale, open());
			await set(snapshotKey, bytes, open());
		},
		async clear() {
			await del(snapshotKey, open());
		}
	};
}

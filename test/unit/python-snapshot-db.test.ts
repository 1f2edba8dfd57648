import 'fake-indexeddb/auto';
import { afterEach, expect, test, vi } from 'vitest';
import { createStore, keys, set } from 'idb-keyval';
import { snapshotDatabase, snapshotKey, storeSnapshot } from '../../workers/python-snapshot-db.ts';

const realOpen = indexedDB.open.bind(indexedDB);

afterEach(() => {
	indexedDB.open = realOpen;
});

/** The snapshot reader of a freshly loaded module, as a new worker has it (no open connection yet). */
async function freshReader(): Promise<
	typeof import('../../workers/python-snapshot-db.ts').readStoredSnapshot
> {
	vi.resetModules();
	return (await import('../../workers/python-snapshot-db.ts')).readStoredSnapshot;
}

/** Makes the next `failures` opens of the snapshot database fail as a browser's would. */
function failOpens(failures: number): () => number {
	let calls = 0;
	indexedDB.open = (name: string, version?: number) => {
		calls++;
		if (name !== snapshotDatabase.db || failures-- <= 0) return realOpen(name, version);
		const request = realOpen('__scratch__');
		// The request fails instead of opening: an error event with the DOMException a browser gives.
		const failed = new DOMException('Internal error opening backing store', 'UnknownError');
		Object.defineProperty(request, 'error', { get: () => failed });
		request.addEventListener('success', (event) => {
			event.stopImmediatePropagation();
			request.result.close();
			Object.defineProperty(request, 'result', { get: () => undefined });
			request.onerror?.(new Event('error'));
		});
		return request;
	};
	return () => calls;
}

test('a stored snapshot is read back; other builds are dropped; none stored reads as null without an error', async () => {
	const readStoredSnapshot = await freshReader();
	expect(await readStoredSnapshot()).toEqual({ bytes: null });
	await set(
		'pyodide-0.0.0-helper-old',
		new Uint8Array([9]),
		createStore(snapshotDatabase.db, snapshotDatabase.store)
	);
	expect(await storeSnapshot(new Uint8Array([1, 2, 3]))).toBe(true);
	expect(await keys(createStore(snapshotDatabase.db, snapshotDatabase.store))).toEqual([
		snapshotKey
	]);
	const read = await readStoredSnapshot();
	expect(read.error).toBeUndefined();
	expect([...(read.bytes ?? [])]).toEqual([1, 2, 3]);
});

test('a read that fails once is retried on a fresh connection; failing twice says why', async () => {
	expect(await storeSnapshot(new Uint8Array([4, 5]))).toBe(true);
	const onceCalls = failOpens(1);
	const once = await (await freshReader())();
	expect(once.error).toBeUndefined();
	expect([...(once.bytes ?? [])]).toEqual([4, 5]);
	expect(onceCalls()).toBe(2);

	const calls = failOpens(2);
	const readStoredSnapshot = await freshReader();
	const twice = await readStoredSnapshot();
	expect(twice.bytes).toBeNull();
	expect(twice.error).toMatch(
		/^stored snapshot not read: UnknownError: Internal error opening backing store/
	);
	expect(calls()).toBe(2);
	indexedDB.open = realOpen;
	// The next read, with storage working again, finds the snapshot: nothing was lost.
	expect([...((await readStoredSnapshot()).bytes ?? [])]).toEqual([4, 5]);
});

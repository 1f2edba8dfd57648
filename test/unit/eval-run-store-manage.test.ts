import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { SampleVerdict } from '../../src/core/eval/pack.ts';
import { runChunkSize, type EvalRunRecord } from '../../src/core/eval/batch/types.ts';
import { evalRunStore } from '../../src/runtime/eval-run-store.ts';
import { EvalRunsList } from '../../src/state/eval-runs.svelte.ts';

// Managing saved eval runs: the run store (idb-keyval on an in-memory IndexedDB with real
// transactions) lists runs with their approximate size and deletes runs whole, a storage error
// loses nothing; the Eval tab's list deletes with undo and never deletes the run in progress.

const record = (id: string, state: EvalRunRecord['state'], updatedAt: number): EvalRunRecord => ({
	id,
	packId: 'p',
	packTitle: `Pack ${id}`,
	format: 'humaneval',
	source: { kind: 'predictions', text: '{"task_id": "Ours/0", "completion": "x"}\n'.repeat(40) },
	options: { k: [1] },
	createdAt: updatedAt,
	updatedAt,
	state,
	total: runChunkSize + 2,
	done: 0,
	passed: 0,
	chunks: 2
});

const verdict = (index: number): SampleVerdict => ({
	taskId: 'Ours/0',
	index,
	passed: true,
	result: 'passed',
	durationMs: 1
});

/** Saves a run as the runner does: chunks, then the record. */
async function saveRun(r: EvalRunRecord): Promise<void> {
	await evalRunStore.saveChunk(
		r.id,
		0,
		Array.from({ length: runChunkSize }, (_, i) => verdict(i))
	);
	await evalRunStore.saveChunk(r.id, 1, [verdict(runChunkSize), null]);
	await evalRunStore.saveRecord({ ...r, done: runChunkSize + 1 });
}

/** Every key of the store, straight from IndexedDB. */
function storedKeys(): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const open = indexedDB.open('execlab-eval-runs');
		open.onsuccess = () => {
			const all = open.result.transaction('runs').objectStore('runs').getAllKeys();
			all.onsuccess = () => resolve(all.result.map(String).sort());
			all.onerror = () => reject(all.error);
		};
		open.onerror = () => reject(open.error);
	});
}

afterEach(() => vi.restoreAllMocks());

describe('eval run store: listing and deleting', () => {
	test('lists runs newest first, each with about the bytes it takes', async () => {
		await saveRun(record('a', 'done', 10));
		await saveRun(record('b', 'paused', 20));
		const listed = await evalRunStore.list();
		expect(listed.map((r) => r.id)).toEqual(['b', 'a']);
		const stored = await evalRunStore.load('a');
		// About the JSON size of the record, its input (the predictions text) and its verdicts.
		const expected = JSON.stringify(stored).length;
		for (const r of listed) {
			expect(r.bytes).toBeGreaterThan(expected * 0.8);
			expect(r.bytes).toBeLessThan(expected * 1.2);
		}
	});

	test('removeMany deletes the runs whole (record, input, verdicts) and nothing else', async () => {
		await saveRun(record('c', 'done', 30));
		await evalRunStore.removeMany(['a', 'c']);
		expect((await evalRunStore.list()).map((r) => r.id)).toEqual(['b']);
		expect(await evalRunStore.load('a')).toBeNull();
		expect(await storedKeys()).toEqual(['run/b', 'run/b/0', 'run/b/1', 'run/b/input']);
	});

	test('a full storage is reported and loses no record: the last saved state stays', async () => {
		const before = await evalRunStore.load('b');
		vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		});
		await expect(
			evalRunStore.saveRecord({ ...before!.record, done: runChunkSize + 2, state: 'done' })
		).rejects.toThrow(/storage is full/);
		await expect(evalRunStore.saveChunk('b', 1, [verdict(1), verdict(2)])).rejects.toThrow(
			/storage is full/
		);
		vi.restoreAllMocks();
		expect(await evalRunStore.load('b')).toEqual(before);
		expect((await evalRunStore.list()).map((r) => [r.id, r.state])).toEqual([['b', 'paused']]);
	});

	test('a refused deletion says so and keeps the run', async () => {
		vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(() => {
			throw new DOMException('Disk trouble', 'UnknownError');
		});
		await expect(evalRunStore.removeMany(['b'])).rejects.toThrow(/Could not delete the run/);
		vi.restoreAllMocks();
		expect((await evalRunStore.list()).map((r) => r.id)).toEqual(['b']);
	});
});

describe('the saved runs list', () => {
	/** A backend over the real store, with a switch that makes deletions fail. */
	function backend(fail = { on: false }) {
		return {
			listRuns: () => evalRunStore.list(),
			async removeRuns(ids: readonly string[]) {
				if (fail.on)
					throw new Error('Could not delete the run (disk trouble); it is kept as it was.');
				await evalRunStore.removeMany(ids);
			}
		};
	}

	test('delete hides at once, undo brings the run back, and only a committed deletion deletes', async () => {
		await saveRun(record('d', 'done', 40));
		const list = new EvalRunsList(backend(), () => null);
		await list.refresh();
		expect(list.shown.map((r) => r.id)).toEqual(['d', 'b']);
		await list.remove(['d']);
		expect(list.shown.map((r) => r.id)).toEqual(['b']);
		list.undoDelete();
		expect(list.shown.map((r) => r.id)).toEqual(['d', 'b']);
		expect((await evalRunStore.list()).map((r) => r.id)).toEqual(['d', 'b']);
		await list.remove(['d']);
		await list.commitDelete();
		expect(list.shown.map((r) => r.id)).toEqual(['b']);
		expect((await evalRunStore.list()).map((r) => r.id)).toEqual(['b']);
	});

	test('"delete all finished" keeps unfinished runs and the run in progress', async () => {
		await saveRun(record('e', 'done', 50));
		await saveRun(record('f', 'cancelled', 60));
		await saveRun(record('g', 'error', 70));
		await saveRun(record('h', 'running', 80));
		const list = new EvalRunsList(backend(), () => 'g');
		await list.refresh();
		expect(list.finished.map((r) => r.id)).toEqual(['f', 'e']);
		await list.removeFinished();
		await list.commitDelete();
		expect((await evalRunStore.list()).map((r) => r.id)).toEqual(['h', 'g', 'b']);
		// The run in progress cannot be deleted, even by name.
		await list.remove(['g']);
		expect(list.problem).toBe('The run in progress cannot be deleted.');
		expect(list.pendingDelete).toBeNull();
	});

	test('a refused deletion is reported and the runs stay listed', async () => {
		const fail = { on: true };
		const list = new EvalRunsList(backend(fail), () => null);
		await list.refresh();
		await list.remove(['h']);
		await list.commitDelete();
		expect(list.problem).toMatch(/Could not delete the run/);
		expect(list.shown.map((r) => r.id)).toEqual(['h', 'g', 'b']);
	});
});

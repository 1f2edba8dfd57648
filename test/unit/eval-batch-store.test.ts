import { beforeAll, describe, expect, test } from 'vitest';
import type { SampleVerdict } from '../../src/core/eval/pack.ts';
import { runChunkSize, type EvalRunRecord } from '../../src/core/eval/batch/types.ts';

// The run store over idb-keyval, on a small in-memory IndexedDB (Node has none): the requests and
// transactions idb-keyval uses (open + upgrade, get, put, delete, getAllKeys, transaction
// complete/error), values structured-cloned as IndexedDB does, and a quota that can be set.
const databases = new Map<string, Map<string, Map<IDBValidKey, unknown>>>();
let quotaLeft = Infinity;

class FakeRequest<T = unknown> {
	result: T | undefined;
	error: DOMException | null = null;
	onsuccess: (() => void) | null = null;
	onerror: (() => void) | null = null;
	oncomplete: (() => void) | null = null;
	onabort: (() => void) | null = null;
	onupgradeneeded: (() => void) | null = null;
}

function settle<T>(request: FakeRequest<T>, work: () => T): FakeRequest<T> {
	queueMicrotask(() => {
		try {
			request.result = work();
			request.onsuccess?.();
		} catch (error) {
			request.error = error as DOMException;
			request.onerror?.();
		}
	});
	return request;
}

function fakeTransaction(rows: Map<IDBValidKey, unknown>) {
	const tx = new FakeRequest();
	let failed: DOMException | null = null;
	setTimeout(() => {
		if (failed) {
			tx.error = failed;
			tx.onerror?.();
		} else tx.oncomplete?.();
	});
	const store = {
		transaction: tx,
		get: (key: IDBValidKey) => settle(new FakeRequest(), () => structuredClone(rows.get(key))),
		put(value: unknown, key: IDBValidKey) {
			const size = JSON.stringify(value)?.length ?? 0;
			if (size > quotaLeft) failed = new DOMException('Quota exceeded', 'QuotaExceededError');
			else rows.set(key, structuredClone(value));
		},
		delete: (key: IDBValidKey) => void rows.delete(key),
		getAllKeys: () => settle(new FakeRequest(), () => [...rows.keys()])
	};
	return store;
}

beforeAll(() => {
	(globalThis as { indexedDB?: unknown }).indexedDB = {
		open(name: string) {
			const request = new FakeRequest<unknown>();
			const fresh = !databases.has(name);
			const stores = databases.get(name) ?? new Map();
			databases.set(name, stores);
			const db = {
				createObjectStore: (store: string) => void stores.set(store, new Map()),
				transaction: (store: string) => ({ objectStore: () => fakeTransaction(stores.get(store)!) })
			};
			queueMicrotask(() => {
				request.result = db;
				if (fresh) request.onupgradeneeded?.();
				request.onsuccess?.();
			});
			return request;
		}
	};
});

const record = (id: string, total: number): EvalRunRecord => ({
	id,
	packId: 'p',
	packTitle: 'P',
	format: 'humaneval',
	source: { kind: 'predictions', text: '{"task_id": "Ours/0", "completion": "x"}\n'.repeat(3) },
	options: { k: [1] },
	createdAt: 1,
	updatedAt: 2,
	state: 'running',
	total,
	done: 0,
	passed: 0,
	chunks: Math.ceil(total / runChunkSize)
});

const verdict = (index: number): SampleVerdict => ({
	taskId: 'Ours/0',
	index,
	passed: index % 2 === 0,
	result: index % 2 === 0 ? 'passed' : 'failed: ',
	durationMs: 1.5
});

describe('eval run store (IndexedDB through idb-keyval)', () => {
	test('a run saved in chunks loads back with its input, verdicts in place and gaps left empty', async () => {
		const { evalRunStore } = await import('../../src/runtime/eval-run-store.ts');
		const total = runChunkSize + 3;
		const r = record('run-a', total);
		await evalRunStore.saveRecord(r);
		const first = Array.from({ length: runChunkSize }, (_, i) => (i < 10 ? verdict(i) : null));
		await evalRunStore.saveChunk('run-a', 0, first);
		await evalRunStore.saveChunk('run-a', 1, [null, verdict(runChunkSize + 1), null]);
		await evalRunStore.saveRecord({ ...r, done: 11, updatedAt: 3 });
		const loaded = await evalRunStore.load('run-a');
		expect(loaded?.record).toEqual({ ...r, done: 11, updatedAt: 3, bytes: expect.any(Number) });
		expect(loaded?.verdicts).toHaveLength(total);
		expect(loaded?.verdicts.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => verdict(i)));
		expect(loaded?.verdicts[10]).toBeUndefined();
		expect(loaded?.verdicts[runChunkSize + 1]).toEqual(verdict(runChunkSize + 1));
		// The list shows records without their predictions text.
		const listed = await evalRunStore.list();
		expect(listed.map((x) => [x.id, x.done, x.source])).toEqual([
			['run-a', 11, { kind: 'predictions', text: '' }]
		]);
	});

	test('a model source is stored without its API key', async () => {
		const { evalRunStore } = await import('../../src/runtime/eval-run-store.ts');
		const r: EvalRunRecord = {
			...record('run-m', 2),
			source: {
				kind: 'model',
				provider: { kind: 'openai', model: 'm', apiKey: 'sk-secret' },
				preset: 'chat',
				n: 1
			},
			answers: [{ taskId: 'Ours/0', answer: 'x' }]
		};
		await evalRunStore.saveRecord(r);
		const raw = JSON.stringify(
			[...databases.values()].map((d) => [...d.values()].map((s) => [...s.values()]))
		);
		expect(raw).not.toContain('sk-secret');
		const loaded = await evalRunStore.load('run-m');
		expect(loaded?.record.source).toEqual({
			kind: 'model',
			provider: { kind: 'openai', model: 'm' },
			preset: 'chat',
			n: 1
		});
		expect(loaded?.record.answers).toEqual([{ taskId: 'Ours/0', answer: 'x' }]);
	});

	test('remove deletes the record, its input and its chunks', async () => {
		const { evalRunStore } = await import('../../src/runtime/eval-run-store.ts');
		await evalRunStore.remove('run-a');
		await evalRunStore.remove('run-m');
		expect(await evalRunStore.load('run-a')).toBeNull();
		expect(await evalRunStore.list()).toEqual([]);
		const left = [...databases.get('execlab-eval-runs')!.get('runs')!.keys()];
		expect(left).toEqual([]);
	});

	test('a full storage is reported as such, naming the quota', async () => {
		const { evalRunStore } = await import('../../src/runtime/eval-run-store.ts');
		quotaLeft = 10;
		try {
			await expect(evalRunStore.saveChunk('run-q', 0, [verdict(0)])).rejects.toThrow(
				/storage is full: this run's progress could not be saved/
			);
		} finally {
			quotaLeft = Infinity;
		}
	});
});

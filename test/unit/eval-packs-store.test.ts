import { describe, expect, test } from 'vitest';
import type { TaskPack } from '../../src/core/eval/pack.ts';
import { parsePack } from '../../src/core/eval/packs/index.ts';
import { bundledPacks } from '../../src/data/packs/index.ts';
import { createPackStore, PackStoreError, type PackBackend } from '../../src/runtime/pack-store.ts';

// The pack store's logic over a key-value backend: a Map behaves as IndexedDB does for these
// calls (idbPackBackend is idb-keyval's keys/getMany/setMany/delMany, exercised in Chromium by
// the Eval tab's e2e), and a backend that refuses writes as a full disk does.

function mapBackend(map = new Map<string, unknown>()): PackBackend {
	return {
		keys: async () => [...map.keys()],
		getMany: async (k) => k.map((key) => structuredClone(map.get(key))),
		setMany: async (entries) => entries.forEach(([k, v]) => map.set(k, structuredClone(v))),
		delMany: async (k) => k.forEach((key) => map.delete(key))
	};
}

const quotaBackend = (): PackBackend => ({
	...mapBackend(),
	setMany: () =>
		Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
});

async function samplePack(n: number): Promise<TaskPack> {
	const line = JSON.stringify({
		text: 't',
		code: 'x = 1',
		task_id: n,
		test_list: ['assert x == 1']
	});
	return parsePack({ files: [{ name: `mbpp-${n}.jsonl`, bytes: new TextEncoder().encode(line) }] });
}

describe('pack store', () => {
	test('bundled packs are listed (not stored); saved ones follow, newest first, and load back equal', async () => {
		const map = new Map<string, unknown>();
		const store = createPackStore(() => mapBackend(map));
		const a = await samplePack(1);
		const b = await samplePack(2);
		await store.save(a);
		await new Promise((r) => setTimeout(r, 5));
		const summary = await store.save(b);
		expect(summary).toMatchObject({
			id: b.id,
			format: 'mbpp',
			counts: { tasks: 1, databases: 0 },
			origin: 'mbpp-2.jsonl',
			bundled: false
		});
		const list = await store.list();
		expect(list.map((s) => s.id)).toEqual([...bundledPacks().map((p) => p.id), b.id, a.id]);
		expect(list[0]).toMatchObject({ bundled: true, origin: 'bundled' });
		expect(await store.load(a.id)).toEqual(a);
		expect(await store.load('bundled-spider')).toEqual(bundledPacks()[2]);
		expect(await store.load('nothing')).toBeUndefined();
		expect([...map.keys()].filter((k) => k.startsWith('pack:'))).toHaveLength(2);
		await store.remove(a.id);
		expect((await store.list()).map((s) => s.id)).not.toContain(a.id);
		expect(await store.load(a.id)).toBeUndefined();
	});

	test('a full storage is reported as a quota error, and nothing is half-saved', async () => {
		const store = createPackStore(quotaBackend);
		const pack = await samplePack(3);
		const error = await store.save(pack).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PackStoreError);
		expect(error).toMatchObject({ quota: true });
		expect((error as Error).message).toMatch(
			/^Browser storage is full: could not save the pack "MBPP: mbpp-3\.jsonl"/
		);
		expect((await store.list()).filter((s) => !s.bundled)).toEqual([]);
	});

	test('storage that is unavailable is an error when listing, and bundled packs cannot be removed or overwritten', async () => {
		const broken = createPackStore(() => ({
			...mapBackend(),
			keys: () => Promise.reject(new Error('IndexedDB is disabled'))
		}));
		await expect(broken.list()).rejects.toThrow(
			'Could not list the saved packs: IndexedDB is disabled'
		);
		const store = createPackStore(() => mapBackend());
		await expect(store.remove('bundled-mbpp')).rejects.toThrow(PackStoreError);
		await expect(store.save(bundledPacks()[0])).rejects.toThrow(/bundled/);
	});
});

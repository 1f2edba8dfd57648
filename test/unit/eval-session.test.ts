import { beforeAll, describe, expect, test } from 'vitest';
import type { BatchResult, EvalRunRecord } from '../../src/core/eval/batch/types.ts';
import { runChunkSize } from '../../src/core/eval/batch/types.ts';
import type { SampleVerdict } from '../../src/core/eval/pack.ts';
import { bundledPacks } from '../../src/data/packs/index.ts';
import { createEvalPool, type PoolPython } from '../../src/runtime/eval-pool.ts';
import type { EvalRunStore } from '../../src/runtime/eval-run-store.ts';
import { createPackStore, type PackBackend } from '../../src/runtime/pack-store.ts';
import { createEvalBackend, type EvalBackend } from '../../src/state/eval-backend.ts';
import { parseKs } from '../../src/state/eval-form.ts';
import { EvalSession } from '../../src/state/eval-session.svelte.ts';
import {
	byDifficulty,
	filterSamples,
	formatDuration,
	groupAccuracy,
	passAtKCurve,
	runtimeHistogram,
	taskSummaries
} from '../../src/components/eval/results-view.ts';
import type { PythonEngine } from '../../workers/python-engine.ts';
import { loadNodePython, pythonRuntimeOf } from './helpers/node-runtime.ts';

// The Eval tab's logic without its DOM: the table/chart helpers, the k list, and the session on
// the real importer, pack store logic, planner, runner and Pyodide (the stores over Maps, as
// IndexedDB behaves for these calls; the e2e runs the same session on IndexedDB in Chromium).

const v = (
	taskId: string,
	index: number,
	passed: boolean,
	ms: number,
	extra = {}
): SampleVerdict => ({
	taskId,
	index,
	passed,
	result: passed ? 'passed' : 'failed: ',
	durationMs: ms,
	...extra
});

describe('results view helpers', () => {
	const samples = [
		v('A', 0, true, 2),
		v('A', 1, false, 4, { result: 'failed: boom' }),
		v('B', 0, false, 30, { group: 'hard', nearLimit: true }),
		v('A', 2, true, 6),
		v('C', 0, true, 1000, { group: 'easy' })
	];

	test('tasks in first-seen order with counts, mean runtime and the first failure', () => {
		expect(taskSummaries(samples)).toEqual([
			{
				taskId: 'A',
				n: 3,
				passed: 2,
				group: undefined,
				meanMs: 4,
				nearLimit: 0,
				firstResult: 'failed: boom'
			},
			{
				taskId: 'B',
				n: 1,
				passed: 0,
				group: 'hard',
				meanMs: 30,
				nearLimit: 1,
				firstResult: 'failed: '
			},
			{
				taskId: 'C',
				n: 1,
				passed: 1,
				group: 'easy',
				meanMs: 1000,
				nearLimit: 0,
				firstResult: 'passed'
			}
		]);
	});

	test('group accuracy, easy to hard; samples without a group left out', () => {
		const groups = groupAccuracy(samples, (s) => s.group);
		expect(groups.map((g) => [g.group, g.passed, g.count])).toEqual([
			['easy', 1, 1],
			['hard', 0, 1]
		]);
		const extra = [
			{ group: 'extra', accuracy: 0, passed: 0, count: 1 },
			{ group: 'medium', accuracy: 0, passed: 0, count: 9 },
			{ group: 'easy', accuracy: 1, passed: 1, count: 1 }
		];
		expect(byDifficulty(extra).map((g) => g.group)).toEqual(['easy', 'medium', 'extra']);
	});

	test('runtime histogram: log bins from the fastest to the slowest, every sample counted once', () => {
		const h = runtimeHistogram([1, 10, 100, 1000], 3);
		expect(h.edges.map((e) => Math.round(e))).toEqual([1, 10, 100, 1000]);
		expect(h.counts).toEqual([1, 1, 2]);
		expect(runtimeHistogram([])).toEqual({ edges: [], counts: [] });
		const same = runtimeHistogram([5, 5, 5], 4);
		expect(same.counts.reduce((a, b) => a + b)).toBe(3);
	});

	test('pass@k curve sorted by k, whatever the key spelling', () => {
		expect(passAtKCurve({ '10': 0.9, 'pass@1': 0.5, '5': 0.8 })).toEqual([
			{ k: 1, value: 0.5 },
			{ k: 5, value: 0.8 },
			{ k: 10, value: 0.9 }
		]);
	});

	test('filters and durations', () => {
		expect(filterSamples(samples, 'failed', '')).toEqual([1, 2]);
		expect(filterSamples(samples, 'near', '')).toEqual([2]);
		expect(filterSamples(samples, 'passed', 'a')).toEqual([0, 3]);
		expect(formatDuration(850)).toBe('850 ms');
		expect(formatDuration(12_340)).toBe('12.3 s');
		expect(formatDuration(245_000)).toBe('4 min 05 s');
		expect(formatDuration(3_720_000)).toBe('1 h 02 min');
	});

	test('the k list: whole positive numbers, sorted and deduplicated, or what is wrong', () => {
		expect(parseKs('10, 1 5;1')).toEqual([1, 5, 10]);
		expect(parseKs('')).toMatch(/at least one k/);
		expect(parseKs('1, 2.5')).toMatch(/“2.5” is not/);
		expect(parseKs('0')).toMatch(/“0” is not/);
	});
});

function mapBackend(map = new Map<string, unknown>()): PackBackend {
	return {
		keys: async () => [...map.keys()],
		getMany: async (k) => k.map((key) => structuredClone(map.get(key))),
		setMany: async (entries) => entries.forEach(([k, val]) => map.set(k, structuredClone(val))),
		delMany: async (k) => k.forEach((key) => map.delete(key))
	};
}

/** The run store's calls over a Map (what evalRunStore does over IndexedDB). */
function memoryRunStore(
	map = new Map<string, unknown>()
): EvalRunStore & { map: Map<string, unknown> } {
	return {
		map,
		async saveRecord(record) {
			map.set(record.id, structuredClone(record));
		},
		async saveChunk(id, n, verdicts) {
			map.set(`${id}/chunk/${n}`, structuredClone(verdicts));
		},
		async list() {
			return [...map.entries()]
				.filter(([k]) => !k.includes('/'))
				.map(([, r]) => structuredClone(r as EvalRunRecord));
		},
		async load(id) {
			const record = map.get(id) as EvalRunRecord | undefined;
			if (!record) return null;
			const verdicts: (SampleVerdict | undefined)[] = new Array(record.total);
			for (let n = 0; n < record.chunks; n++) {
				const chunk = map.get(`${id}/chunk/${n}`) as (SampleVerdict | null)[] | undefined;
				chunk?.forEach((x, i) => {
					if (x) verdicts[n * runChunkSize + i] = structuredClone(x);
				});
			}
			return { record: structuredClone(record), verdicts };
		},
		async remove(id) {
			for (const k of [...map.keys()]) if (k === id || k.startsWith(`${id}/`)) map.delete(k);
		},
		async removeMany(ids) {
			for (const id of ids) await this.remove(id);
		}
	};
}

const humaneval = bundledPacks().find((p) => p.format === 'humaneval');
if (humaneval?.format !== 'humaneval') throw new Error('no bundled HumanEval pack');
const problems = humaneval.problems;
const packFile = {
	name: 'starter.jsonl',
	bytes: new TextEncoder().encode(problems.map((p) => JSON.stringify(p)).join('\n'))
};
// Per task: the reference (passes), `return None` (fails its asserts), a raise (fails with the message).
const predictions = problems
	.flatMap((p) => [
		{ task_id: p.task_id, completion: p.canonical_solution },
		{ task_id: p.task_id, completion: '    return None\n' },
		{ task_id: p.task_id, completion: "    raise ValueError('boom')\n" }
	])
	.map((r) => JSON.stringify(r))
	.join('\n');

let engine: PythonEngine;
beforeAll(async () => {
	engine = await loadNodePython();
}, 120_000);

// Node's Pyodide runs a chunk synchronously; a macrotask between chunks lets the test see
// progress and pause mid-run, as a browser worker's round trip does.
function yielding(ran: { samples: number }): PoolPython {
	const python = pythonRuntimeOf(engine);
	return {
		async runMany(samples, options) {
			await new Promise((r) => setTimeout(r, 1));
			ran.samples += samples.length;
			return python.runMany(samples, options);
		}
	};
}

function nodeBackend(
	runs: EvalRunStore,
	packs = new Map<string, unknown>(),
	ran = { samples: 0 }
): EvalBackend {
	return createEvalBackend({
		packs: createPackStore(() => mapBackend(packs)),
		runs,
		pool: () => createEvalPool({ workers: 1, chunkSize: 3, createPython: () => yielding(ran) })
	});
}

async function finished(session: EvalSession): Promise<BatchResult> {
	await expect.poll(() => session.result, { timeout: 60_000, interval: 20 }).not.toBeNull();
	return session.result!;
}

describe('EvalSession on the real importer, runner and Pyodide', () => {
	test('a bad pack names file, line and field and changes nothing; a good one is stored and chosen', async () => {
		const packs = new Map<string, unknown>();
		const session = new EvalSession(nodeBackend(memoryRunStore(), packs));
		await session.open();
		expect(session.packs.map((p) => p.id)).toEqual(bundledPacks().map((p) => p.id));
		expect(session.packId).toBe(bundledPacks()[0].id);

		const bad = '{"task_id": 1, "text": "t", "code": "x", "test_list": "assert x"}';
		await session.importFiles([{ name: 'mbpp.jsonl', bytes: new TextEncoder().encode(bad) }]);
		expect(session.importError).toMatch(/^mbpp\.jsonl, line 1 \(task_id 1\), field "test_list": /);
		expect(session.packs).toHaveLength(bundledPacks().length);
		expect(session.packId).toBe(bundledPacks()[0].id);

		await session.importFiles([packFile]);
		expect(session.importError).toBe('');
		expect(session.importNote).toContain(`(humaneval, ${problems.length} tasks)`);
		expect(session.packs).toHaveLength(bundledPacks().length + 1);
		expect(session.pack?.id).toBe(session.packId);
		expect(session.packs.at(-1)).toMatchObject({ id: session.packId, bundled: false });
	});

	test('imported predictions: verdicts in input order, pass@k; a reload resumes to the same numbers', async () => {
		const store = memoryRunStore();
		const first = new EvalSession(nodeBackend(store));
		await first.open();
		await first.importFiles([packFile]);
		first.usePredictions('samples.jsonl', predictions);
		first.kText = '1, 2, 3';
		await first.start();
		const full = await finished(first);
		expect(full.state).toBe('done');
		expect(full.samples.map((s) => [s.taskId, s.index, s.result])).toEqual(
			problems.flatMap((p) => [
				[p.task_id, 0, 'passed'],
				[p.task_id, 1, 'failed: '],
				[p.task_id, 2, 'failed: boom']
			])
		);
		// One of three passes per task: pass@1 = 1/3, pass@2 = 1 − C(2,2)/C(3,2) = 2/3, pass@3 = 1.
		const passAt = (k: number) =>
			full.metrics.passAtK?.[String(k)] ?? full.metrics.passAtK?.[`pass@${k}`];
		expect(passAt(1)).toBeCloseTo(1 / 3, 12);
		expect(passAt(2)).toBeCloseTo(2 / 3, 12);
		expect(passAt(3)).toBe(1);
		expect(first.jobOf(full.samples[2])).toMatchObject({ kind: 'python', metric: 'humaneval' });
		expect(
			first.jobOf(full.samples[2])?.kind === 'python' && first.jobOf(full.samples[2])
		).toMatchObject({
			tests: expect.stringContaining("raise ValueError('boom')")
		});

		// A second run, paused after some verdicts were stored; the stored state is what a reload finds.
		const runs = memoryRunStore();
		const packs = new Map<string, unknown>();
		const before = new EvalSession(nodeBackend(runs, packs));
		await before.open();
		await before.importFiles([packFile]);
		before.usePredictions('samples.jsonl', predictions);
		before.kText = '1, 2, 3';
		await before.start();
		await expect
			.poll(() => before.progress?.done ?? 0, { timeout: 60_000, interval: 5 })
			.toBeGreaterThanOrEqual(6);
		before.pause();
		await expect.poll(() => before.progress?.state).toBe('paused');
		const atReload = structuredClone([...runs.map.entries()]);
		before.cancel();

		const ran = { samples: 0 };
		const after = new EvalSession(nodeBackend(memoryRunStore(new Map(atReload)), packs, ran));
		await after.open();
		expect(after.resumable).toMatchObject({ total: problems.length * 3 });
		expect(after.resumable!.done).toBeGreaterThanOrEqual(6);
		expect(after.resumable!.done).toBeLessThan(problems.length * 3);
		const storedDone = after.resumable!.done;
		await after.resumeSaved();
		const resumed = await finished(after);
		expect(resumed.state).toBe('done');
		expect(resumed.metrics.passAtK).toEqual(full.metrics.passAtK);
		// Only the samples without a stored verdict ran again.
		expect(ran.samples).toBe(problems.length * 3 - storedDone);
		expect(resumed.samples.map((s) => [s.taskId, s.index, s.passed, s.result])).toEqual(
			full.samples.map((s) => [s.taskId, s.index, s.passed, s.result])
		);
	});
});

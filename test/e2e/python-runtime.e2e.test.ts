import { beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useRig } from './use-rig.ts';
import {
	firstResult,
	openPython,
	waitForStoredSnapshot,
	type PageGlobals
} from './python-helpers.ts';

const probeHits: string[] = [];
const rig = useRig({
	server: {
		isolated: true,
		routes: {
			'/probe': (url) => {
				probeHits.push(url.search);
				return { type: 'text/plain', body: 'probe-ok' };
			}
		}
	}
});
let page: Page;

beforeAll(async () => {
	const cold = await openPython(rig.browser, rig.server.url);
	page = cold.page;
	console.log(
		`[measure] python navigation→first result, cold (fresh profile): ${cold.firstResultMs.toFixed(0)} ms`
	);
});

test('reports isolation mode and Python versions', async () => {
	const mode = await page.evaluate(() => (globalThis as PageGlobals).execlab.python.mode);
	expect(mode).toMatchObject({
		isolated: true,
		interrupts: true,
		input: true,
		label: 'interrupts on'
	});
	const info = await page.evaluate(() => (globalThis as PageGlobals).execlab.python.info);
	expect(info).toMatchObject({
		pyodideVersion: '314.0.7',
		fromSnapshot: false,
		snapshotMade: true
	});
	expect(info?.pythonVersion).toMatch(/^3\.14\./);
});

test('second load starts from the stored snapshot', async () => {
	await waitForStoredSnapshot(page);
	await page.reload();
	const warm = await firstResult(page);
	const info = await page.evaluate(() => (globalThis as PageGlobals).execlab.python.info);
	// The whole info in the message: a snapshotError says why a stored snapshot was not used.
	expect(info, JSON.stringify(info)).toMatchObject({ fromSnapshot: true, snapshotMade: false });
	console.log(
		`[measure] python navigation→first result, warm (snapshot): ${warm.toFixed(0)} ms; init ${info?.loadMs.toFixed(0)} ms`
	);
	const r = await page.evaluate(() =>
		(globalThis as PageGlobals).execlab.python.run('import math\nmath.factorial(5)')
	);
	expect(r.value).toBe('120');
});

// How long a round trip takes is the bench's python.roundTripMedian.
test('round trips: 250 runs in a row each answer with their own value', async () => {
	const values = await page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		const out: (string | null)[] = [];
		for (let i = 0; i < 250; i++) out.push((await py.run(`${i}+1`)).value);
		return out;
	});
	expect(values).toEqual(Array.from({ length: 250 }, (_, i) => String(i + 1)));
});

test('interrupt of while True: pass keeps the session state', async () => {
	const r = await page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		await py.run('kept = 41', { session: 'int' });
		const results = [];
		for (let i = 0; i < 7; i++) {
			const run = py.run('while True: pass', { session: 'int', timeoutMs: 60_000 });
			await new Promise((ok) => setTimeout(ok, 150));
			py.stop();
			results.push(await run);
		}
		const after = await py.run('kept + 1', { session: 'int' });
		return { results, after: after.value };
	});
	// How quickly (stop → result) is the bench's python.interruptMedian.
	expect(r.results).toHaveLength(7);
	for (const result of r.results)
		expect(result).toMatchObject({
			ok: false,
			error: { type: 'KeyboardInterrupt' },
			stopped: { kind: 'interrupt', reason: 'user' }
		});
	expect(r.after).toBe('42');
});

test('time.sleep is interrupted too (isolated), and a timeout says so', async () => {
	const r = await page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		const sleeping = py.run('import time\ntime.sleep(60)', { timeoutMs: 60_000 });
		await new Promise((ok) => setTimeout(ok, 200));
		py.stop();
		const sleep = await sleeping;
		const loop = await py.run('while True: pass', { timeoutMs: 300 });
		return { sleep, loop };
	});
	// An interrupt, not a hard stop: the sleep woke on the flag instead of running its 60 s.
	expect(r.sleep.stopped).toEqual({ kind: 'interrupt', reason: 'user' });
	expect(r.sleep.error?.type).toBe('KeyboardInterrupt');
	expect(r.loop).toMatchObject({
		error: { type: 'KeyboardInterrupt' },
		stopped: { kind: 'interrupt', reason: 'timeout' }
	});
});

test('C-level loop: hard stop, 3-cell session rebuilt; catastrophic regex: interrupted', async () => {
	const r = await page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		await py.reset('hs');
		for (const cell of ['a = 1', 'b = a + 1', 'c = b + 1']) await py.run(cell, { session: 'hs' });
		const stuck = py.run('sum(range(10**12))', { session: 'hs', timeoutMs: 60_000 });
		await new Promise((ok) => setTimeout(ok, 300));
		py.stop();
		const hard = await stuck;
		const next = await py.run('a + b + c', { session: 'hs' });
		const regex = await py.run("import re\nre.match('(a+)+$', 'a' * 40 + 'b')", {
			session: 'hs',
			timeoutMs: 1000
		});
		const afterRegex = await py.run('c', { session: 'hs' });
		return {
			hard,
			next: next.value,
			regex,
			afterRegex: afterRegex.value,
			history: py.history('hs')
		};
	});
	expect(r.hard).toMatchObject({
		ok: false,
		error: { type: 'KeyboardInterrupt' },
		stopped: { kind: 'hard-stop', reason: 'user', rebuilt: true }
	});
	expect(r.next).toBe('6');
	// CPython's sre checks for signals, so the regex is interrupted (state kept), not hard-stopped.
	expect(r.regex).toMatchObject({
		error: { type: 'KeyboardInterrupt' },
		stopped: { kind: 'interrupt', reason: 'timeout' }
	});
	expect(r.afterRegex).toBe('3');
	expect(r.history).toEqual(['a = 1', 'b = a + 1', 'c = b + 1', 'a + b + c', 'c']);
	expect(r.hard.stdout).toBe('');
	// How long the rebuild takes is the bench's python.hardStopRecovery.
});

test('confinement: no network from Python by default, allowed per session', async () => {
	const probe = `${rig.server.url}probe`;
	const r = await page.evaluate(async (probe) => {
		const py = (globalThis as PageGlobals).execlab.python;
		const blocked: Record<string, string | undefined> = {};
		const probes: Record<string, string> = {
			jsFetch: `import js\njs.fetch("${probe}?js")`,
			xhr: `import js\njs.XMLHttpRequest.new()`,
			openUrl: `from pyodide.http import open_url\nopen_url("${probe}?open_url")`,
			pyodideJs: `import pyodide_js\npyodide_js.loadPackage("${probe}?pkg")`,
			runJs: `from pyodide.code import run_js\nrun_js("fetch('${probe}?run_js')")`,
			websocket: `import js\njs.WebSocket.new("ws://127.0.0.1:1")`
		};
		for (const [name, code] of Object.entries(probes)) {
			const res = await py.run(code, { session: 'offline' });
			blocked[name] = res.ok ? undefined : res.error?.type;
		}
		py.setSessionOptions('online', { allowNetwork: true });
		const allowed = await py.run(
			`from pyodide.http import open_url\nopen_url("${probe}?allowed").read()`,
			{ session: 'online' }
		);
		const stillBlocked = await py.run(`from pyodide.http import open_url`, { session: 'offline' });
		return { blocked, allowed: allowed.value, stillBlocked: stillBlocked.error?.message };
	}, probe);
	for (const [name, type] of Object.entries(r.blocked)) expect(type, name).toBeDefined();
	expect(r.allowed).toBe("'probe-ok'");
	expect(r.stillBlocked).toContain('network access is disabled');
	await new Promise((ok) => setTimeout(ok, 200));
	expect(probeHits).toEqual(['?allowed']);
});

test('input() asks the page and waits (isolated)', async () => {
	const r = await page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		const prompts: string[] = [];
		const res = await py.run(
			'name = input("Name? ")\nage = int(input())\nprint("hi", name, age + 1)',
			{
				session: 'in',
				onInput: async (prompt) => {
					prompts.push(prompt);
					await new Promise((ok) => setTimeout(ok, 50));
					return prompts.length === 1 ? 'Ada' : '36';
				}
			}
		);
		const eof = await py.run('input()', { session: 'in', onInput: async () => null });
		return { res, prompts, eof: eof.error?.type };
	});
	expect(r.res).toMatchObject({ ok: true, stdout: 'Name? hi Ada 37\n' });
	expect(r.prompts).toEqual(['Name? ', '']);
	expect(r.eof).toBe('EOFError');
});

test('memory bombs: clear errors, growth past the heap budget refused, state kept', async () => {
	const r = await page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		await py.run('survivor = "yes"', { session: 'mem' });
		const overflow = await py.run("x = 'a' * 10**10", { session: 'mem' });
		const before = await py.heapBytes();
		const grown = await py.run('x = bytearray(400 * 2**20)', {
			session: 'mem',
			maxHeapBytes: 256 * 2 ** 20
		});
		const heapAfter = await py.heapBytes();
		const next = await py.run('survivor', { session: 'mem' });
		return { overflow: overflow.error?.type, grown, before, heapAfter, next: next.value };
	});
	expect(r.overflow).toBe('OverflowError');
	expect(r.grown).toMatchObject({ ok: false, error: { type: 'MemoryError', line: 1 } });
	expect(r.grown.stopped).toBeUndefined();
	expect(r.heapAfter).toBeLessThanOrEqual(Math.max(r.before, 256 * 2 ** 20));
	expect(r.next).toBe("'yes'");
});

import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveStatic, type StaticServer } from './rig.ts';
import {
	firstResult,
	median,
	openPython,
	waitForStoredSnapshot,
	type PageGlobals
} from './python-helpers.ts';

let browser: Browser;
let server: StaticServer;
let page: Page;
const probeHits: string[] = [];

beforeAll(async () => {
	browser = await launchChromium();
	server = await serveStatic({
		isolated: true,
		routes: {
			'/probe': (url) => {
				probeHits.push(url.search);
				return { type: 'text/plain', body: 'probe-ok' };
			}
		}
	});
	const cold = await openPython(browser, server.url);
	page = cold.page;
	console.log(
		`[measure] python navigation→first result, cold (fresh profile): ${cold.firstResultMs.toFixed(0)} ms`
	);
});
afterAll(async () => {
	await browser?.close();
	await server?.close();
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
	expect(info).toMatchObject({ fromSnapshot: true, snapshotMade: false });
	console.log(
		`[measure] python navigation→first result, warm (snapshot): ${warm.toFixed(0)} ms; init ${info?.loadMs.toFixed(0)} ms`
	);
	const r = await page.evaluate(() =>
		(globalThis as PageGlobals).execlab.python.run('import math\nmath.factorial(5)')
	);
	expect(r.value).toBe('120');
});

test('round trip of 1+1', async () => {
	const times = await page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		const out: number[] = [];
		for (let i = 0; i < 250; i++) {
			const t = performance.now();
			await py.run('1+1');
			out.push(performance.now() - t);
		}
		return out;
	});
	console.log(`[measure] python round trip 1+1: median ${median(times.slice(50)).toFixed(3)} ms`);
	expect(times.length).toBe(250);
});

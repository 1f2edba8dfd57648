import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';

// One visit, then the server is gone: the app must load from the service worker's precache, stay
// cross-origin isolated, and run Python and SQL.

const rig = useRig({ server: { isolated: true } });

type Reply = Record<string, unknown> & { error?: { type: string; message: string } };

/** Sends a contract message from the page's own origin (always allowed) and returns its result. */
function send(page: Page, message: Record<string, unknown>): Promise<Reply> {
	return page.evaluate(async (m) => {
		const embed = (
			globalThis as unknown as {
				execlab: {
					embed: {
						dispatcher: {
							handle(d: unknown, o: string, r: (x: unknown) => void): Promise<void>;
						};
					};
				};
			}
		).execlab.embed;
		const replies: Reply[] = [];
		const data = m.bytes === 'empty' ? { ...m, bytes: new ArrayBuffer(0) } : m;
		await embed.dispatcher.handle(data, location.origin, (r) => replies.push(r as Reply));
		return replies[0];
	}, message);
}

test('after one visit the app loads, stays isolated and runs Python and SQL with the server closed', async () => {
	const page = await openPage(rig.browser, rig.server.url);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	// The precache is complete once the worker is activated and controls the page.
	await page.waitForFunction(
		() => navigator.serviceWorker.controller?.state === 'activated',
		null,
		{ timeout: 120_000, polling: 250 }
	);
	const precached = await page.evaluate(async () => {
		const reg = await navigator.serviceWorker.ready;
		const keys: string[] = [];
		for (const name of await caches.keys()) {
			for (const req of await (await caches.open(name)).keys())
				keys.push(new URL(req.url).pathname);
		}
		return { state: reg.active?.state, keys };
	});
	expect(precached.state).toBe('activated');
	for (const file of [
		'/index.html',
		'/vendor/pyodide/pyodide.asm.wasm',
		'/vendor/pyodide/python_stdlib.zip',
		'/vendor/pyodide/pyodide.asm.mjs',
		'/vendor/pyodide/pyodide-lock.json',
		'/vendor/pyodide/pyodide.mjs',
		'/vendor/sql/sql-wasm.wasm',
		'/samples/index.json'
	]) {
		expect(precached.keys, file).toContain(file);
	}
	expect(precached.keys.some((k) => /^\/assets\/.*\.js$/.test(k))).toBe(true);
	const persist = await page.evaluate(
		() =>
			(globalThis as unknown as { execlab: { offline: { persist: Promise<string> } } }).execlab
				.offline.persist
	);
	expect(['persisted', 'denied']).toContain(persist);

	await rig.server.close();
	const gone = await fetch(rig.server.url).then(
		() => 'reachable',
		() => 'unreachable'
	);
	expect(gone).toBe('unreachable');

	await page.reload();
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	expect(
		await send(page, { execlab: 1, type: 'load-db', id: 'db', name: 'scratch', bytes: 'empty' })
	).toMatchObject({
		ok: true,
		tables: []
	});
	const sql = await send(page, {
		execlab: 1,
		type: 'run',
		id: 'sql',
		language: 'sql',
		db: 'scratch',
		code: 'CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3); SELECT sum(x) AS s, sqlite_version() IS NOT NULL AS v FROM t'
	});
	expect(sql).toMatchObject({ ok: true, columns: ['s', 'v'], rows: [[6, 1]] });

	const py = await send(page, {
		execlab: 1,
		type: 'run',
		id: 'py',
		language: 'python',
		code: 'import json, sys\nprint(json.dumps({"offline": True}))\nsys.version_info[:2]',
		timeoutMs: 60_000
	});
	expect(py).toMatchObject({ ok: true, stdout: '{"offline": true}\n', value: '(3, 14)' });

	// A bundled sample database is there too.
	const sample = await page.evaluate(async () => {
		const index = (await (await fetch('./samples/index.json')).json()) as
			{ file: string }[] | { samples: { file: string }[] };
		const list = Array.isArray(index) ? index : index.samples;
		const bytes = await (await fetch(`./samples/${list[0].file}`)).arrayBuffer();
		return { count: list.length, header: new TextDecoder().decode(bytes.slice(0, 15)) };
	});
	expect(sample.count).toBeGreaterThan(0);
	expect(sample.header).toBe('SQLite format 3');
	await page.close();
});

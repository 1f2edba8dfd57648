// The network boundary the browser enforces (README: "Network confinement"): the Python worker is
// started under the worker CSP (from the host, or added by the service worker where the host sends
// none), so none of these probes reaches a canary server on another port; a session allowed the
// network runs in the worker without that policy and its probes arrive.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { PythonRunResult } from '../../workers/protocol.ts';
import type { PageGlobals } from './python-helpers.ts';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';

let browser: Browser;
let withPolicy: StaticServer;
let withoutPolicy: StaticServer;
let canary: { url: string; hits: string[]; close(): Promise<void> };

/** Counts every request (and WebSocket upgrade) by its `probe` query parameter. */
async function startCanary(): Promise<typeof canary> {
	const hits: string[] = [];
	const record = (url = '') => hits.push(new URL(url, 'http://x').searchParams.get('probe') ?? url);
	const server: Server = createServer((req, res) => {
		record(req.url);
		const sse = req.headers.accept?.includes('text/event-stream');
		// 204 ends an EventSource for good (it would reconnect and count again after a 200).
		res.writeHead(sse ? 204 : 200, {
			'Access-Control-Allow-Origin': '*',
			'Cross-Origin-Resource-Policy': 'cross-origin',
			'Content-Type': sse ? 'text/event-stream' : 'text/javascript'
		});
		res.end(sse ? undefined : 'export {};');
	});
	server.on('upgrade', (req, socket) => {
		record(req.url);
		socket.destroy();
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `127.0.0.1:${port}/`,
		hits,
		close: () =>
			new Promise<void>((ok) => {
				server.closeAllConnections();
				server.close(() => ok());
			})
	};
}

/** Python code for each way out; each names itself in the canary's `probe` parameter. */
function probes(host: string): Record<string, string> {
	const u = (name: string) => `http://${host}?probe=${name}`;
	return {
		fetch: `import js\njs.fetch("${u('fetch')}")`,
		xhr: `import js\nx = js.XMLHttpRequest.new()\nx.open("GET", "${u('xhr')}")\nx.send()`,
		websocket: `import js\njs.WebSocket.new("ws://${host}?probe=websocket")`,
		eventSource: `import js\njs.EventSource.new("${u('eventSource')}")`,
		importScripts: `import js\njs.importScripts("${u('importScripts')}")`,
		worker:
			`import js\nfrom pyodide.ffi import to_js\n` +
			`b = js.Blob.new(to_js(["fetch('${u('worker')}')"]), to_js({"type": "text/javascript"}, dict_converter=js.Object.fromEntries))\n` +
			`js.Worker.new(js.URL.createObjectURL(b))`,
		functionImport: `import js\njs.Object.constructor("return import('${u('functionImport')}')")()`,
		jsEval: `import js\njs.eval("fetch('${u('jsEval')}')")`,
		pyodideHttp: `from pyodide.http import open_url\nopen_url("${u('pyodideHttp')}")`
	};
}

/** Runs every probe in a session; returns each one's error (type: message) or 'ok'. */
async function runProbes(page: Page, session: string): Promise<Record<string, string>> {
	const results = await page.evaluate(
		async ({ session, codes }) => {
			const py = (globalThis as PageGlobals).execlab.python;
			if (session === 'online') py.setSessionOptions(session, { allowNetwork: true });
			const out: Record<string, string> = {};
			for (const [name, code] of Object.entries(codes)) {
				const r: PythonRunResult = await py.run(code, { session, timeoutMs: 10_000 });
				out[name] = r.ok ? 'ok' : `${r.error?.type}: ${r.error?.message}`;
			}
			return out;
		},
		{ session, codes: probes(canary.url) }
	);
	// Requests begun by a probe (fetch, the nested worker's fetch, import()) may land after its run.
	await new Promise((ok) => setTimeout(ok, 1500));
	return results;
}

/** Whether the worker itself refuses `Function` (its CSP has no 'unsafe-eval'). */
async function functionRefused(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const py = (globalThis as PageGlobals).execlab.python;
		const r = await py.run('import js\njs.Object.constructor("return 6 * 7")()', { session: 'f' });
		return r.ok ? `ok ${r.value}` : `${r.error?.type}: ${r.error?.message}`;
	});
}

async function controlled(page: Page): Promise<void> {
	await page.waitForFunction(
		() => navigator.serviceWorker.controller?.state === 'activated',
		null,
		{ timeout: 120_000, polling: 250 }
	);
}

beforeAll(async () => {
	browser = await launchChromium();
	canary = await startCanary();
	withPolicy = await serveStatic();
	withoutPolicy = await serveStatic({ contentPolicy: false });
});
afterAll(async () => {
	await browser?.close();
	await withPolicy?.close();
	await withoutPolicy?.close();
	await canary?.close();
});

test('host sends the worker CSP: no probe reaches the canary; allowNetwork sessions do', async () => {
	const page = await openPage(browser, `${withPolicy.url}?lang=python`);
	await page.evaluate(() => (globalThis as PageGlobals).execlab.python.ready);
	expect(await functionRefused(page)).toMatch(/EvalError.*unsafe-eval/);
	canary.hits.length = 0;
	const confined = await runProbes(page, 'offline');
	for (const [name, outcome] of Object.entries(confined)) expect(outcome, name).not.toBe('ok');
	expect(canary.hits).toEqual([]);

	const online = await runProbes(page, 'online');
	// A module worker has no importScripts at all, policy or not.
	expect(online.importScripts).toMatch(/TypeError.*importScripts/);
	expect([...new Set(canary.hits)].sort()).toEqual(
		Object.keys(probes(canary.url))
			.filter((name) => name !== 'importScripts')
			.sort()
	);
	// The confined session is still confined after the network worker ran.
	canary.hits.length = 0;
	await runProbes(page, 'offline');
	expect(canary.hits).toEqual([]);
	await page.close();
});

test('host sends no CSP: the JS guard alone lets import() through; under the service worker nothing arrives', async () => {
	const page = await openPage(browser, `${withoutPolicy.url}?lang=python`);
	await page.evaluate(() => (globalThis as PageGlobals).execlab.python.ready);
	// First visit: the worker started before the service worker controlled the page, so nothing
	// but the JS guard confines it, and the Function constructor reaches import().
	expect(await functionRefused(page)).toBe('ok 42');
	canary.hits.length = 0;
	await runProbes(page, 'offline');
	expect(canary.hits).toEqual(['functionImport']);

	await controlled(page);
	await page.reload();
	await page.evaluate(() => (globalThis as PageGlobals).execlab.python.ready);
	const served = await page.evaluate(async () => {
		const entry = performance
			.getEntriesByType('resource')
			.find((e) => /\/python\.worker-[\w-]+\.js$/.test(new URL(e.name).pathname));
		return entry ? (await fetch(entry.name)).headers.get('content-security-policy') : null;
	});
	expect(served).toContain("connect-src 'self'");
	expect(await functionRefused(page)).toMatch(/EvalError.*unsafe-eval/);
	canary.hits.length = 0;
	await runProbes(page, 'offline');
	expect(canary.hits).toEqual([]);
	await page.close();
});

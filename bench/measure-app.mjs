// app.jsGzKB and app.interactiveMs: what the app's start costs before any runtime is ready.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchProfile, waitForBench } from './browser.mjs';
import { typingProbe } from './probes.mjs';
import { playgroundUrl } from './starts.mjs';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const isJs = (path) => /\.(m?js)$/.test(path);
const gzKB = (path) => gzipSync(readFileSync(path)).length / 1024;

/**
 * Loads the app on a fresh profile, records every JS file fetched by the page and its workers during
 * `windowMs`, and sums the gzipped sizes (zlib default level) of those under /assets/ (the app's
 * build output; Pyodide's /vendor/ files and the service worker script are listed as excluded).
 * Also lists the JS in dist/assets never fetched by the page or its workers (lazy chunks).
 */
export async function measureJsSize({ url, dist, windowMs = 8000 }) {
	const browser = await launchProfile();
	const fetched = new Set();
	const byServiceWorker = new Set();
	browser.context.on('request', (req) => {
		const path = new URL(req.url()).pathname;
		if (!isJs(path)) return;
		// The service worker's precache downloads everything, lazy chunks included; not a start cost.
		if (req.serviceWorker()) byServiceWorker.add(path);
		else fetched.add(path);
	});
	try {
		await browser.page.goto(playgroundUrl(url), { waitUntil: 'load' });
		await sleep(windowMs);
	} finally {
		await browser.close();
	}
	const counted = [];
	const excluded = [];
	for (const path of [...fetched].sort()) {
		const file = join(dist, decodeURIComponent(path));
		const entry = { path, gzKB: Math.round(gzKB(file) * 10) / 10 };
		if (path.startsWith('/assets/')) counted.push(entry);
		else excluded.push(entry);
	}
	const assets = readdirSync(join(dist, 'assets')).filter(isJs);
	const lazy = assets
		.map((f) => `/assets/${f}`)
		.filter((p) => !fetched.has(p))
		.map((path) => ({ path, gzKB: Math.round(gzKB(join(dist, path)) * 10) / 10 }));
	const total = counted.reduce((s, e) => s + gzKB(join(dist, e.path)), 0);
	// Split by Vite's worker chunk naming (<name>.worker-<hash>.js), for the reader.
	const workerKB = counted
		.filter((e) => /\.worker-[^/]*\.js$/.test(e.path))
		.reduce((s, e) => s + gzKB(join(dist, e.path)), 0);
	return {
		mainThreadKB: Math.round((total - workerKB) * 10) / 10,
		workerKB: Math.round(workerKB * 10) / 10,
		totalKB: total,
		counted,
		excluded,
		lazy,
		fetchedByServiceWorker: [...byServiceWorker].sort()
	};
}

/**
 * Navigation → the editor shows a typed character: the page's probe focuses the first `.cm-content`
 * as soon as it exists, while the driver keeps typing a marker (CDP Input.insertText, each sent once
 * the previous one was handled) until the probe sees it in the editor; the time is read in the page.
 * Returns {cold, warm} series and a per-navigation trace (when the editor appeared, long tasks).
 */
export async function measureInteractive({ url, profiles, reloads }) {
	const marker = '\u00a7';
	const cold = [];
	const warm = [];
	const trace = [];
	const once = async (page, cdp, nav) => {
		let typed = null;
		await nav();
		const seen = waitForBench(page, 60_000, '__benchTyped').finally(() => (typed ??= true));
		while (!typed) {
			await cdp.send('Input.insertText', { text: marker }).catch(() => {});
			await sleep(5);
		}
		const result = await seen;
		trace.push(result);
		return result.readyMs;
	};
	for (let p = 0; p < profiles; p++) {
		const browser = await launchProfile({ initScript: typingProbe, initArg: marker });
		const { page } = browser;
		const cdp = await browser.context.newCDPSession(page);
		try {
			cold.push(
				await once(page, cdp, () => page.goto(playgroundUrl(url), { waitUntil: 'commit' }))
			);
			await sleep(1500);
			for (let r = 0; r < reloads; r++) {
				warm.push(await once(page, cdp, () => page.reload({ waitUntil: 'commit' })));
				await sleep(1500);
			}
		} finally {
			await browser.close();
		}
	}
	return { cold, warm, trace };
}

// Cold and warm start series: each profile is fresh (cold = its first navigation), then the page reloads
// itself in that profile (warm). Times are read in the page, relative to navigation start.
//
// Chromium runs here as a plain process, with no DevTools client: Playwright attaches to every worker
// with `waitForDebuggerOnStart` and resumes it only once its Node side has answered, which on 2 busy
// cores held the SQL worker's start for ~120 ms in a trace (its script, long fetched, was not even run).
// A user's browser has no such pause. The page reports with a beacon to the bench server instead.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath } from './browser.mjs';

/**
 * Measures `profiles` cold starts and `profiles × reloads` warm starts of `url` on `server` (from
 * bench/server.mjs). The page, or `probe` ([function, argument], run first in the page), must set
 * `globalThis.__bench = {readyMs, ...}` when its first result is back. After each result (and after
 * the page's Python start, when it has one) the page waits `settleMs` before it reloads, so caches
 * (HTTP, wasm code cache, snapshots) can be written first.
 */
export async function measureStarts({
	server,
	url,
	profiles,
	reloads,
	probe,
	settleMs = 1500,
	log
}) {
	const cold = [];
	const warm = [];
	const extras = [];
	let script = `(${pageReporter})(${JSON.stringify({ reloads, settleMs })});`;
	if (probe) script += `\n(${probe[0]})(${JSON.stringify(probe[1])});`;
	server.setHeadScript(script);
	try {
		for (let p = 0; p < profiles; p++) {
			const browser = launchPlain(playgroundUrl(url));
			try {
				for (let n = 0; n <= reloads; n++) {
					const report = await Promise.race([server.nextReport(120_000), browser.exited]);
					if (report.pageErrors?.length) log?.(`  page errors: ${report.pageErrors.join(' | ')}`);
					if (report.error) throw new Error(report.error);
					if (report.n !== n) throw new Error(`expected load ${n}, the page reported ${report.n}`);
					(n === 0 ? cold : warm).push(report.readyMs);
					extras.push({ kind: n === 0 ? 'cold' : 'warm', ...report });
				}
			} finally {
				await browser.close();
			}
		}
	} finally {
		server.setHeadScript(null);
	}
	return { cold, warm, extras };
}

/**
 * The app's own page (a URL ending in `/`) with `?lang=python`: a first-time visitor now lands on the
 * Start tab, and these measures are of the Python playground, as before. Other pages are unchanged.
 */
export function playgroundUrl(url) {
	const u = new URL(url);
	if (u.pathname.endsWith('/') && !u.searchParams.has('lang')) u.searchParams.set('lang', 'python');
	return u.href;
}

/** Starts headless Chromium on a fresh profile at `url`; resolves `exited` (as an error) if it ends. */
function launchPlain(url) {
	const userDataDir = mkdtempSync(join(tmpdir(), 'execlab-bench-'));
	const child = spawn(
		chromiumPath,
		[
			...chromiumArgs,
			'--headless',
			`--user-data-dir=${userDataDir}`,
			'--window-size=1280,800',
			url
		],
		{ stdio: 'ignore', detached: true }
	);
	const ended = new Promise((ok) => child.once('exit', ok));
	const exited = ended.then((code) => {
		throw new Error(`Chromium exited (${code}) before the page reported`);
	});
	exited.catch(() => undefined);
	return {
		exited,
		close: async () => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
			await ended;
			// The renderer and GPU processes may still be flushing into the profile for a moment.
			for (let i = 0; i < 10; i++) {
				try {
					rmSync(userDataDir, { recursive: true, force: true });
					return;
				} catch {
					await new Promise((ok) => setTimeout(ok, 200));
				}
			}
		}
	};
}

// Runs first in every page (put there by the server): passes each value the page gives
// `globalThis.__bench` to the bench server, with the load's number in this profile (kept in
// sessionStorage, which a reload keeps and a fresh profile lacks), and reloads `settleMs` after the
// later of that and the page's Python start.
function pageReporter({ reloads, settleMs }) {
	const countKey = '__execlab_bench_load';
	const n = Number(sessionStorage.getItem(countKey) ?? 0);
	const pageErrors = [];
	addEventListener('error', (e) => pageErrors.push(String(e.message)));
	addEventListener('unhandledrejection', (e) => pageErrors.push(String(e.reason)));
	let stored;
	Object.defineProperty(globalThis, '__bench', {
		configurable: true,
		get: () => stored,
		set: (value) => {
			stored = value;
			const report = { n, ...(value ?? { error: 'the page reported nothing' }), pageErrors };
			navigator.sendBeacon('/__bench-report', JSON.stringify(report));
			sessionStorage.setItem(countKey, String(n + 1));
			if (n >= reloads || report.error) return;
			// A page that also starts Python (ExecLab always does) is left to finish that start, and
			// store its snapshot, before the settle time runs: a returning user's state.
			Promise.resolve(globalThis.execlab?.python?.ready)
				.catch(() => undefined)
				.then(() => setTimeout(() => location.reload(), settleMs));
		}
	});
}

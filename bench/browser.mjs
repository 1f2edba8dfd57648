// Chromium driving for the bench: Debian's headless Chromium through playwright-core, one persistent
// profile per measurement series (a fresh --user-data-dir for every cold start).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Chromium flags of the bench (same as test/e2e/rig.ts). */
export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

/** Path of the Chromium binary (CHROMIUM_PATH overrides). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launches Chromium on a new empty profile; `initScript` (a function and its argument) runs in every
 * document before the page's own scripts. Resolves to {context, page, version, close}.
 */
export async function launchProfile({ initScript, initArg } = {}) {
	const userDataDir = mkdtempSync(join(tmpdir(), 'execlab-bench-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: chromiumPath,
		headless: true,
		args: chromiumArgs,
		viewport: { width: 1280, height: 800 }
	});
	await context.addInitScript(benchSignals, signalKeys);
	if (initScript) await context.addInitScript(initScript, initArg);
	const page = context.pages()[0] ?? (await context.newPage());
	watchSignals(page);
	const errors = [];
	page.on('pageerror', (err) => errors.push(err.message));
	return {
		context,
		page,
		errors,
		close: async () => {
			await context.close().catch(() => {});
			rmSync(userDataDir, { recursive: true, force: true });
		}
	};
}

/**
 * Waits until the page sets `globalThis.__bench` (or `key`), then returns it; throws on timeout or
 * error. Only pages from {@link launchProfile}, which report it passively (see `benchSignals`).
 */
export async function waitForBench(page, timeoutMs = 120_000, key = '__bench') {
	const store = signalStores.get(page);
	if (!store) throw new Error('waitForBench: the page was not opened by launchProfile');
	let timer;
	const value = await Promise.race([
		store.wait(key),
		new Promise((_, fail) => {
			timer = setTimeout(
				() => fail(new Error(`timed out after ${timeoutMs} ms waiting for ${key}`)),
				timeoutMs
			);
		})
	]).finally(() => clearTimeout(timer));
	if (value && value.error) throw new Error(value.error);
	return value;
}

// Why passive: Playwright's waitForFunction (and even its first page.evaluate in a new document)
// evaluates a large injected script there, ~70 ms of main-thread time in the middle of the
// start-up being measured. Setting a watched global instead logs it to the console, which the
// driver reads from the CDP event stream without touching the page.
/** Init script: assignments to the watched globals are also reported as a console.debug line. */
function benchSignals(keys) {
	for (const key of keys) {
		let stored;
		Object.defineProperty(globalThis, key, {
			configurable: true,
			get: () => stored,
			set: (v) => {
				stored = v;
				console.debug('__execlab_bench', key, JSON.stringify(v ?? null));
			}
		});
	}
}

const signalKeys = ['__bench', '__benchTyped'];
const signalStores = new WeakMap();

/** Collects the signals of `page`'s current document; a new document starts afresh. */
function watchSignals(page) {
	const values = new Map();
	const waiters = new Map();
	page.on('framenavigated', (frame) => {
		if (frame === page.mainFrame()) values.clear();
	});
	page.on('console', (msg) => {
		if (msg.type() !== 'debug') return;
		const text = msg.text();
		if (!text.startsWith('__execlab_bench ')) return;
		const [, key, ...json] = text.split(' ');
		const value = JSON.parse(json.join(' '));
		values.set(key, value);
		for (const ok of waiters.get(key)?.splice(0) ?? []) ok(value);
	});
	signalStores.set(page, {
		wait: (key) =>
			values.has(key)
				? Promise.resolve(values.get(key))
				: new Promise((ok) => waiters.set(key, [...(waiters.get(key) ?? []), ok]))
	});
}

/** Median of a list of numbers (null when empty). */
export function median(values) {
	if (values.length === 0) return null;
	const s = [...values].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Rounds to `digits` decimals, keeping null. */
export function round(value, digits = 1) {
	if (value === null || value === undefined || !Number.isFinite(value)) return null;
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

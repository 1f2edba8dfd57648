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
	if (initScript) await context.addInitScript(initScript, initArg);
	const page = context.pages()[0] ?? (await context.newPage());
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

/** Waits until the page sets `globalThis.__bench` (or `key`), then returns it; throws on timeout or error. */
export async function waitForBench(page, timeoutMs = 120_000, key = '__bench') {
	const handle = await page.waitForFunction((k) => globalThis[k], key, {
		timeout: timeoutMs,
		polling: 50
	});
	const value = await handle.jsonValue();
	if (value && value.error) throw new Error(value.error);
	return value;
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

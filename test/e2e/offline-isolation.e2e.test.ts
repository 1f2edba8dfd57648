import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';

// A static host that sends no COOP/COEP (GitHub Pages): the first load is not isolated; once the
// service worker controls the page it reloads once and the worker's responses carry the headers.

const rig = useRig({ plain: { isolated: false } });

/** Waits until a service worker controls the page and its precache is complete (worker active). */
async function controlled(page: Page): Promise<void> {
	// Synchronous on purpose: waitForFunction treats a returned Promise as truthy.
	await page.waitForFunction(
		() => navigator.serviceWorker.controller?.state === 'activated',
		null,
		{ timeout: 120_000, polling: 250 }
	);
}

test('without headers: not isolated at first, isolated after the worker takes over and one reload', async () => {
	const page = await openPage(rig.browser, `${rig.plain.url}?lang=python`);
	const loads: string[] = [];
	page.on('load', () => loads.push(page.url()));
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
	expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();

	await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 120_000, polling: 250 });
	await controlled(page);
	// Exactly one automatic reload, keeping the query string.
	expect(loads).toEqual([`${rig.plain.url}?lang=python`]);
	expect(
		await page.evaluate(() => sessionStorage.getItem('execlab.isolationReload'))
	).not.toBeNull();
	expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');

	// What the worker serves carries the headers; the server itself still sends none.
	const served = await page.evaluate(async () => {
		const r = await fetch('./vendor/sql/sql-wasm.wasm');
		return {
			coop: r.headers.get('cross-origin-opener-policy'),
			coep: r.headers.get('cross-origin-embedder-policy'),
			corp: r.headers.get('cross-origin-resource-policy')
		};
	});
	expect(served).toEqual({ coop: 'same-origin', coep: 'require-corp', corp: 'cross-origin' });
	const direct = await fetch(`${rig.plain.url}vendor/sql/sql-wasm.wasm`);
	expect(direct.headers.get('cross-origin-embedder-policy')).toBeNull();

	// Interrupts work under the worker-provided headers (the Python worker is isolated too).
	const loop = await page.evaluate(async () => {
		const embed = (
			globalThis as unknown as {
				execlab: {
					embed: {
						dispatcher: { handle(d: unknown, o: string, r: (x: unknown) => void): Promise<void> };
					};
				};
			}
		).execlab.embed;
		const replies: unknown[] = [];
		const code = 'n = 0\nwhile True:\n    n += 1';
		const message = {
			execlab: 1,
			type: 'run',
			id: 'loop',
			language: 'python',
			code,
			timeoutMs: 1500
		};
		await embed.dispatcher.handle(message, location.origin, (r) => replies.push(r));
		return replies[0];
	});
	expect(loop).toMatchObject({ ok: false, stopped: { kind: 'interrupt', reason: 'timeout' } });

	// A later visit is isolated from the first paint, with no reload.
	await page.reload();
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	expect(loads).toHaveLength(2);
	await page.close();
});

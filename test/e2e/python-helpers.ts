// Shared bits of the Python e2e tests: open the built app and reach `globalThis.execlab.python`.
import { beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openPage } from './rig.ts';
import { useRig, type Rig } from './use-rig.ts';
import type { PythonClient } from '../../src/runtime/python-client.ts';

/** The page-side globals the tests use. */
export type PageGlobals = typeof globalThis & { execlab: { python: PythonClient } };

/** Opens the app and waits until Python answered `1+1`; returns the page and ms since navigation. */
export async function openPython(
	browser: Browser,
	url: string
): Promise<{ page: Page; firstResultMs: number }> {
	const page = await openPage(browser, url);
	const firstResultMs = await firstResult(page);
	return { page, firstResultMs };
}

/** Milliseconds from the page's navigation start to the first Python result. */
export async function firstResult(page: Page): Promise<number> {
	await page.waitForFunction(() => (globalThis as PageGlobals).execlab?.python, null, {
		timeout: 60_000
	});
	return page.evaluate(async () => {
		const r = await (globalThis as PageGlobals).execlab.python.run('1+1');
		if (r.value !== '2') throw new Error(`unexpected first result ${JSON.stringify(r)}`);
		return performance.now();
	});
}

/** Waits until the snapshot of this build is in IndexedDB. */
export async function waitForStoredSnapshot(page: Page): Promise<void> {
	await page.waitForFunction(
		() =>
			new Promise<boolean>((resolve) => {
				const open = indexedDB.open('execlab-python');
				// Not created here when missing: the worker's own open must create its store.
				open.onupgradeneeded = () => open.transaction?.abort();
				open.onerror = () => resolve(false);
				open.onsuccess = () => {
					const db = open.result;
					const done = (stored: boolean) => {
						db.close();
						resolve(stored);
					};
					if (!db.objectStoreNames.contains('snapshots')) return done(false);
					const keys = db.transaction('snapshots').objectStore('snapshots').getAllKeys();
					keys.onsuccess = () => done(keys.result.length > 0);
					keys.onerror = () => done(false);
				};
			}),
		null,
		{ timeout: 60_000, polling: 250 }
	);
}

/** {@link useRig} with one isolated server, and a page of it where Python has answered (before the tests). */
export function usePythonPage(): Rig<'server'> & { page: Page } {
	const rig = useRig({ server: { isolated: true } }) as Rig<'server'> & { page: Page };
	beforeAll(async () => {
		rig.page = (await openPython(rig.browser, rig.server.url)).page;
	});
	return rig;
}

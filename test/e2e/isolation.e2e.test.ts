import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';

let browser: Browser;
let isolated: StaticServer;
let plain: StaticServer;

beforeAll(async () => {
	browser = await launchChromium();
	isolated = await serveStatic({ isolated: true });
	plain = await serveStatic({ isolated: false });
});
afterAll(async () => {
	await browser?.close();
	await isolated?.close();
	await plain?.close();
});

test('the page is cross-origin isolated when the host sends COOP/COEP', async () => {
	const page = await openPage(browser, isolated.url);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	await page.close();
});

test('without the headers the page loads but is not isolated', async () => {
	const page = await openPage(browser, plain.url);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
	await page.close();
});

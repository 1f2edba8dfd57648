// Screenshots of the main views for review (no pixel comparison): light and dark, desktop and
// narrow, Python and SQL, plus the embed chrome. Saved under test/e2e/screenshots/ (gitignored).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';
import { runWithKeys, setCode, showPane, waitIdle, waitRuntimes } from './playground-helpers.ts';

let browser: Browser;
let server: StaticServer;
let page: Page;

const sizes = { desktop: { width: 1280, height: 800 }, narrow: { width: 390, height: 844 } };
const shot = (name: string) => page.screenshot({ path: `test/e2e/screenshots/${name}.png` });

beforeAll(async () => {
	browser = await launchChromium();
	server = await serveStatic();
	page = await openPage(browser, `${server.url}?lang=python`);
	await page.setViewportSize(sizes.desktop);
	await waitRuntimes(page);
	await setCode(
		page,
		'python',
		'import math\n\nfor n in range(1, 6):\n    print(n, math.factorial(n))\n\nx = [1, 2, 3]\n1 / 0\n'
	);
	await runWithKeys(page, 'python');
	await waitIdle(page, 'python');
	await setCode(
		page,
		'sql',
		'SELECT code, title, students, average\nFROM course_averages\nORDER BY average DESC\nLIMIT 12;\n'
	);
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
});
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

test('main views in light and dark, desktop and narrow', async () => {
	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		for (const [size, viewport] of Object.entries(sizes)) {
			await page.setViewportSize(viewport);
			for (const pane of ['python', 'sql'] as const) {
				await showPane(page, pane);
				await page.waitForTimeout(150);
				await shot(`${pane}-${scheme}-${size}`);
			}
		}
	}
	await page.emulateMedia({ colorScheme: 'light' });
	await page.setViewportSize(sizes.desktop);
	await page.locator('[aria-label="Keyboard shortcuts"]').first().click();
	// The dialog's text is a lazily loaded chunk.
	await page.locator('#help-panel dl').waitFor();
	await shot('help-light-desktop');
	await page.keyboard.press('Escape');
	expect(await page.locator('#help-panel').count()).toBe(0);
});

test('embed chrome shows only editor, run and output', async () => {
	const embed = await openPage(
		browser,
		`${server.url}?embed=1&lang=sql&db=shop&code=${encodeURIComponent('SELECT 6 * 7 AS answer;')}`
	);
	await embed.setViewportSize({ width: 640, height: 360 });
	await embed.waitForSelector('[data-testid=embed] .cm-content');
	expect(await embed.locator('[role=tablist]').count()).toBe(0);
	expect(await embed.locator('.cm-content').innerText()).toContain('SELECT 6 * 7');
	await embed.locator('[data-testid=run]').click();
	await embed.waitForSelector('[data-testid=result-grid] .rows .row', { timeout: 60_000 });
	expect(
		await embed.locator('[data-testid=result-grid] .rows .cell:not(.index)').first().innerText()
	).toBe('42');
	await embed.screenshot({ path: 'test/e2e/screenshots/embed-sql-light.png' });
	await embed.close();
});

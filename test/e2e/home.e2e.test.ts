// The Start tab (issue 11, "The first screen"): a fresh profile lands on it; each gallery card opens
// the Agent tab and replays its recorded session to the end with live execution and no request
// leaving the page's own server; the playgrounds are one click away; a returning user gets the tab
// they left; a frame never shows Start; after one visit the cards replay with the server gone. Screenshots of the gallery light and dark, desktop and narrow.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';

const rig = useRig({ app: { isolated: true }, offline: { isolated: true } });

const sizes = { desktop: { width: 1280, height: 800 }, narrow: { width: 390, height: 844 } };

/** What each card's replay must show, computed live by the engines (the traces' own observations). */
const expected: Record<string, string[]> = {
	'explore-schema': ['supplier_id', 'Juniper & Co Supply'],
	'fix-after-traceback': ['IndexError: list index out of range', '[1, 2, 3, 4, 9, 10]'],
	'react-orders': ["('cancelled', 497)", '[(497,)]'],
	'recover-from-error': ['no such column: department', '58250']
};

async function waitEnded(page: Page, timeout = 120_000): Promise<void> {
	await page.waitForSelector('[data-testid=agent-stop-line]', { timeout });
	await page.waitForSelector('[data-testid=agent-run]:not([disabled])', { timeout });
}

const selectedTab = (page: Page) =>
	page.locator('[role=tab][aria-selected=true]').getAttribute('id');

test('a fresh profile lands on Start; each card replays in the Agent tab with live execution, nothing fetched off the server', async () => {
	const page = await openPage(rig.browser, rig.app.url);
	const foreign: string[] = [];
	const origin = new URL(rig.app.url).origin;
	page.on('request', (r) => {
		const url = r.url();
		if (!url.startsWith(origin) && !/^(data|blob):/.test(url)) foreign.push(url);
	});
	await page.waitForSelector('[data-testid=home-view]', { timeout: 30_000 });
	expect(await selectedTab(page)).toBe('tab-home');
	const ids = await page
		.locator('[data-testid=gallery-card]')
		.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-id')));
	expect(ids.sort()).toEqual(Object.keys(expected).sort());

	for (const id of Object.keys(expected)) {
		await page.locator('#tab-home').click();
		await page
			.locator(`[data-testid=gallery-card][data-id=${id}] [data-testid=gallery-open]`)
			.click();
		await page.waitForSelector('[data-testid=agent-view]', { timeout: 30_000 });
		expect(await selectedTab(page)).toBe('tab-agent');
		// The previous card's transcript is cleared when the next trace opens.
		await page.waitForSelector('[data-testid=agent-stop-line]', { state: 'detached' });
		await waitEnded(page);
		const observations = await page
			.locator('[data-testid=agent-observation]')
			.evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText).join('\n'));
		for (const text of expected[id]) expect(observations, id).toContain(text);
		expect(await page.locator('[data-testid=agent-divergence]').count(), id).toBe(0);
		expect(await page.locator('[data-testid=agent-reward]').innerText(), id).toContain('1');
	}
	expect(foreign).toEqual([]);
	await page.close();
});

test('the playgrounds are one click away, a returning user gets their tab, a frame never shows Start', async () => {
	const page = await openPage(rig.browser, rig.app.url);
	await page.locator('#tab-home').click();
	await page.locator('[data-testid=home-go-python]').click();
	await page.waitForSelector('[data-testid=python-pane] .cm-content', { timeout: 30_000 });
	expect(await selectedTab(page)).toBe('tab-python');
	await page.locator('#tab-home').click();
	await page.locator('[data-testid=home-go-sql]').click();
	await page.waitForSelector('[data-testid=sql-pane]', { timeout: 30_000 });
	expect(await selectedTab(page)).toBe('tab-sql');
	for (const tab of ['eval', 'history', 'agent'] as const) {
		await page.locator('#tab-home').click();
		await page.locator(`[data-testid=home-go-${tab}]`).click();
		expect(await selectedTab(page)).toBe(`tab-${tab}`);
	}
	// Returning: the tab left last is shown again.
	await page.locator('#tab-sql').click();
	await page.reload();
	await page.waitForSelector('[data-testid=sql-pane]', { timeout: 30_000 });
	expect(await selectedTab(page)).toBe('tab-sql');
	// ?lang= still decides.
	await page.goto(`${rig.app.url}?lang=python`);
	await page.waitForSelector('[data-testid=python-pane] .cm-content', { timeout: 30_000 });
	expect(await selectedTab(page)).toBe('tab-python');
	// Saved editor text but no saved tab (work from before Start existed): the Python playground.
	await page.evaluate(() => {
		for (const key of Object.keys(localStorage))
			if (key.startsWith('execlab:tab') || key.startsWith('execlab:code:'))
				localStorage.removeItem(key);
		localStorage.setItem('execlab:code:python', 'print("mine")\n');
	});
	await page.goto(rig.app.url);
	await page.waitForSelector('[data-testid=python-pane] .cm-content', { timeout: 30_000 });
	expect(await selectedTab(page)).toBe('tab-python');
	expect(await page.locator('[data-testid=python-pane] .cm-content').innerText()).toContain(
		'print("mine")'
	);
	// Nothing saved at all: Start again.
	await page.evaluate(() => {
		localStorage.removeItem('execlab:code:python');
		localStorage.removeItem('execlab:tab');
	});
	await page.reload();
	await page.waitForSelector('[data-testid=home-view]', { timeout: 30_000 });
	expect(await selectedTab(page)).toBe('tab-home');
	await page.close();

	// A frame keeps its playground and has no Start.
	const embed = await openPage(rig.browser, `${rig.app.url}?embed=1`);
	await embed.waitForSelector('[data-testid=embed] [data-testid=python-pane]', { timeout: 30_000 });
	expect(await embed.locator('[data-testid=home-view]').count()).toBe(0);
	await embed.close();
});

test('screenshots of the gallery, light and dark, desktop and narrow', async () => {
	const page = await openPage(rig.browser, `${rig.app.url}`);
	await page.locator('#tab-home').click();
	await page.waitForSelector('[data-testid=gallery-card]', { timeout: 30_000 });
	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		for (const [size, viewport] of Object.entries(sizes)) {
			await page.setViewportSize(viewport);
			await page.waitForTimeout(150);
			// Nothing wider than the window: the gallery stacks on a narrow screen.
			const overflow = await page
				.locator('[data-testid=home-view]')
				.evaluate((el) => el.scrollWidth - el.clientWidth);
			expect(overflow, `${scheme} ${size}`).toBeLessThanOrEqual(0);
			await page.screenshot({ path: `test/e2e/screenshots/home-${scheme}-${size}.png` });
		}
	}
	await page.close();
});

test('after one visit the gallery replays with the server gone (service worker)', async () => {
	const page = await openPage(rig.browser, rig.offline.url);
	await page.waitForFunction(
		() => navigator.serviceWorker.controller?.state === 'activated',
		null,
		{ timeout: 120_000, polling: 250 }
	);
	await rig.offline.close();
	await page.reload();
	await page.locator('#tab-home').click();
	for (const id of ['fix-after-traceback', 'recover-from-error']) {
		await page.locator('#tab-home').click();
		await page
			.locator(`[data-testid=gallery-card][data-id=${id}] [data-testid=gallery-open]`)
			.click();
		await page.waitForSelector('[data-testid=agent-view]', { timeout: 30_000 });
		await page.waitForSelector('[data-testid=agent-stop-line]', { state: 'detached' });
		await waitEnded(page);
		const observations = await page
			.locator('[data-testid=agent-observation]')
			.evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText).join('\n'));
		for (const text of expected[id]) expect(observations, id).toContain(text);
		expect(await page.locator('[data-testid=agent-reward]').innerText(), id).toContain('1');
	}
	await page.close();
});

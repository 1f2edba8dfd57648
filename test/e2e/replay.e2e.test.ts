// Replay in the built app, in real Chromium: a divergence on a deliberately altered database (with
// screenshots, light and dark, desktop and narrow), a share link round trip with step-by-step
// replay, `?embed=1&trace=<url>`, a replay with the server gone (service worker), and `replay`,
// `export` and `ready.capabilities.offline` through a host page on another origin.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { exportTraces } from '../../src/core/export/index.ts';
import { encodeTracePayload } from '../../src/core/trace/share-link.ts';
import { traceToV2 } from '../../src/core/trace/trace-v2.ts';
import { recordedTrace } from '../../src/data/traces/index.ts';
import { serveHost } from './embed-host.ts';
import { openAgentTab } from './agent-ui-helpers.ts';
import { runWithKeys, setCode, waitIdle } from './playground-helpers.ts';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';

type Msg = Record<string, any>;

const trace = recordedTrace('skyrl-sql');
const sizes = { desktop: { width: 1280, height: 800 }, narrow: { width: 390, height: 844 } };
// Separate servers (origins), so one test's saved databases and service worker are not another's.
const rig = useRig({
	app: {
		isolated: true,
		routes: {
			'/shared/trace.json': () => ({ type: 'application/json', body: JSON.stringify(trace) })
		}
	},
	offline: { isolated: true },
	embedded: { isolated: true }
});

/** Waits until a replay run has ended: its stop line is shown and Run is enabled again. */
async function waitEnded(page: Page, timeout = 120_000): Promise<void> {
	await page.waitForSelector('[data-testid=agent-stop-line]', { timeout });
	await page.waitForSelector('[data-testid=agent-run]:not([disabled])', { timeout });
}

/** The transcript's divergence views' text. */
const divergenceTexts = (page: Page) =>
	page
		.locator('[data-testid=agent-divergence]')
		.evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText));

test('replay on a deliberately altered database marks the divergence with a diff, and waits for the choice', async () => {
	const page = await openPage(rig.browser, `${rig.app.url}?lang=sql&db=school`);
	await page.setViewportSize(sizes.desktop);
	await page.waitForSelector('[data-testid=sql-pane] .cm-content', { timeout: 60_000 });
	await setCode(
		page,
		'sql',
		"UPDATE departments SET building = 'Lab Wing' WHERE building = 'Gymnasium';"
	);
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	await openAgentTab(page);
	// First open: the bundled SkyRL-SQL recording (on `school`) is ready to replay.
	await page.waitForSelector('[data-testid=replay-pace]');
	await page.selectOption('[data-testid=replay-pace]', '0');
	await page.locator('[data-testid=agent-run]').click();
	await page.waitForSelector('[data-testid=replay-choice]', { timeout: 120_000 });
	const [first] = await divergenceTexts(page);
	expect(first).toContain('action 1');
	expect(first).toContain('Gymnasium  1');
	expect(first).toMatch(/\+\s+Lab Wing\s+3/);
	expect(await page.locator('[data-testid=agent-action].diverged').count()).toBe(1);
	expect(await page.locator('[data-testid=replay-divergences]').innerText()).toBe('1 divergence');

	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		for (const [size, viewport] of Object.entries(sizes)) {
			await page.setViewportSize(viewport);
			await page.locator('[data-testid=agent-divergence]').first().scrollIntoViewIfNeeded();
			await page.waitForTimeout(150);
			await page.screenshot({
				path: `test/e2e/screenshots/replay-divergence-${scheme}-${size}.png`
			});
		}
	}
	await page.emulateMedia({ colorScheme: 'light' });
	await page.setViewportSize(sizes.desktop);

	// Continue at every divergence until the run ends.
	while ((await page.locator('[data-testid=agent-stop-line]').count()) === 0) {
		const choice = page.locator('[data-testid=replay-continue]');
		if ((await choice.count()) > 0) await choice.click();
		await page.waitForTimeout(100);
	}
	await waitEnded(page);
	expect((await divergenceTexts(page)).length).toBeGreaterThanOrEqual(1);

	// Stop at the first divergence: the run stops there by itself.
	await page.locator('[data-testid=replay-stop-at-divergence]').check();
	await page.locator('[data-testid=agent-run]').click();
	await waitEnded(page);
	expect(await page.locator('[data-testid=agent-stopped]').innerText()).toContain('user');
	expect(await divergenceTexts(page)).toHaveLength(1);
	expect(await page.locator('[data-testid=agent-runbar] [role=status]').innerText()).toContain(
		'Stopped at the first divergence (action 1)'
	);
	await page.close();
});

test('share link round trip: the link opens the Agent tab with the replay ready; step by step with N', async () => {
	const page = await openPage(rig.browser, rig.embedded.url);
	await openAgentTab(page);
	await page.waitForSelector('[data-testid=replay-share]');
	await page.locator('[data-testid=replay-share]').click();
	const url = await page.locator('[data-testid=replay-share-link] input').inputValue();
	expect(new URL(url).hash).toMatch(/^#trace=[A-Za-z0-9_-]+$/);
	await page.close();

	const opened = await openPage(rig.browser, url);
	await opened.waitForSelector('[data-testid=agent-view]', { timeout: 30_000 });
	await opened.waitForFunction(() =>
		document.querySelector('[role=status]')?.textContent?.includes('Opened shared skyrl-sql trace')
	);
	const loaded = await opened.evaluate(async () => {
		const app = (globalThis as any).execlab.app;
		const session = await app.agent();
		return session.replay.trace;
	});
	expect(loaded).toEqual(trace);

	await opened.locator('[data-testid=replay-step]').check();
	await opened.locator('[data-testid=agent-run]').click();
	let steps = 0;
	while ((await opened.locator('[data-testid=agent-stop-line]').count()) === 0) {
		if ((await opened.locator('[data-testid=replay-next]').count()) > 0) {
			// The next turn's action (or answer) shows only once N releases it.
			const before = await opened
				.locator('[data-testid=agent-action], [data-testid=agent-answer]')
				.count();
			await opened.locator('[data-testid=agent-transcript]').focus();
			await opened.keyboard.press('n');
			steps++;
			await opened.waitForFunction(
				(n) =>
					document.querySelectorAll('[data-testid=agent-action], [data-testid=agent-answer]')
						.length > n || document.querySelector('[data-testid=agent-stop-line]') !== null,
				before,
				{ timeout: 60_000 }
			);
		}
		await opened.waitForTimeout(100);
	}
	await waitEnded(opened);
	expect(steps).toBe(trace.events.filter((e) => e.type === 'call').length);
	expect(await opened.locator('[data-testid=agent-divergence]').count()).toBe(0);
	expect(await opened.locator('[data-testid=agent-runbar] [role=status]').innerText()).toContain(
		'every observation matched'
	);
	await opened.close();
});

test('a trace too large for a link is offered as a file instead', async () => {
	const page = await openPage(rig.browser, rig.embedded.url);
	await openAgentTab(page);
	const big = structuredClone(trace);
	const obs = big.events.find((e) => e.type === 'observation');
	if (obs?.type !== 'observation') throw new Error('no observation');
	// Incompressible: 60 000 random hex digits.
	obs.text = Array.from({ length: 60_000 }, () => Math.floor(Math.random() * 16).toString(16)).join(
		''
	);
	await page.evaluate(async (t) => {
		const session = await (globalThis as any).execlab.app.agent();
		session.openTrace(t, { title: 'big', mode: 'replay' });
	}, big);
	await page.locator('[data-testid=replay-share]').click();
	const notice = page.locator('[data-testid=replay-share-too-large]');
	expect(await notice.innerText()).toMatch(/needs a \d+ KB link; links over 32 KB/);
	expect(await page.locator('[data-testid=replay-share-link]').count()).toBe(0);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		notice.locator('button').click()
	]);
	expect(download.suggestedFilename()).toMatch(/^execlab-trace-skyrl-sql-.*\.json$/);
	await page.close();
});

test('?embed=1&trace=<url> replays in the frame chrome at once', async () => {
	const page = await openPage(rig.browser, `${rig.app.url}?embed=1&trace=/shared/trace.json`);
	await page.waitForSelector('[data-testid=embed] [data-testid=agent-view]', { timeout: 30_000 });
	expect(await page.locator('[role=tablist]').count()).toBe(0);
	expect(await page.locator('[aria-label="Agent settings"]').count()).toBe(0);
	await waitEnded(page);
	expect(await page.locator('[data-testid=agent-reward]').innerText()).toContain('1');
	await page.close();
});

test('a share link replays with the server gone (service worker)', async () => {
	const page = await openPage(rig.browser, rig.offline.url);
	await page.waitForFunction(
		() => navigator.serviceWorker.controller?.state === 'activated',
		null,
		{ timeout: 120_000, polling: 250 }
	);
	// A same-origin frame of a controlled page is controlled too: offline is true there.
	const ready = await page.evaluate(
		() =>
			new Promise<Msg>((resolve) => {
				addEventListener('message', (e) => {
					if (e.data?.type === 'ready') resolve(e.data);
				});
				const frame = document.createElement('iframe');
				frame.src = './?embed=1';
				document.body.append(frame);
			})
	);
	expect(ready.capabilities.offline).toBe(true);
	await rig.offline.close();
	await page.goto(`${rig.offline.url}?lang=sql#trace=${encodeTracePayload(trace)}&run=1`);
	await page.waitForSelector('[data-testid=agent-view]', { timeout: 60_000 });
	await waitEnded(page);
	expect(await page.locator('[data-testid=agent-divergence]').count()).toBe(0);
	expect(await page.locator('[data-testid=agent-reward]').innerText()).toContain('1');
	await page.close();
});

test('replay and export through a host page on another origin; ready says offline: false there', async () => {
	const host = await serveHost(rig.embedded.url);
	try {
		const page = await openPage(
			rig.browser,
			`${host.url}host.html?me=${encodeURIComponent(new URL(host.url).origin)}`
		);
		const ready = await page.evaluate(() =>
			(window as any).waitFor((m: Msg) => m.type === 'ready')
		);
		expect(ready.capabilities.offline).toBe(false);
		expect(ready.capabilities.messages).toEqual(expect.arrayContaining(['replay', 'export']));
		const request = (m: Msg): Promise<Msg> => page.evaluate((m) => (window as any).request(m), m);

		const replayed = await request({ execlab: 1, type: 'replay', id: 'r', trace, speed: 20000 });
		expect(replayed).toEqual({ execlab: 1, type: 'result', id: 'r', ok: true, divergences: [] });
		const events = await page.evaluate(() =>
			(window as any).received
				.filter((m: Msg) => m.type === 'event' && m.id === 'r')
				.map((m: Msg) => m.event)
		);
		expect(events[0].type).toBe('start');
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });

		// The frame's own `school`, altered through the contract: the divergence comes back.
		const altered = await request({
			execlab: 1,
			type: 'run',
			id: 'u',
			language: 'sql',
			db: 'school',
			code: "UPDATE departments SET building = 'Lab Wing' WHERE building = 'Gymnasium'"
		});
		expect(altered.ok).toBe(true);
		const diverged = await request({
			execlab: 1,
			type: 'replay',
			id: 'r2',
			trace: traceToV2(trace)
		});
		expect(diverged.ok).toBe(true);
		expect(diverged.divergences[0]).toMatchObject({ action: 0 });
		expect(diverged.divergences[0].expected).toContain('Gymnasium  1');

		for (const format of ['json', 'jsonl', 'leti', 'chat', 'skyrl', 'intercode'] as const) {
			// InterCode logs are of InterCode presets only.
			const t = format === 'intercode' ? recordedTrace('intercode-react') : trace;
			const out = await request({ execlab: 1, type: 'export', id: format, trace: t, format });
			expect(out, format).toEqual({
				execlab: 1,
				type: 'result',
				id: format,
				ok: true,
				text: exportTraces([traceToV2(t)], format)
			});
		}
		const bad = await request({
			execlab: 1,
			type: 'export',
			id: 'bad',
			trace: { format: 'x' },
			format: 'json'
		});
		expect(bad).toMatchObject({
			ok: false,
			error: { type: 'InvalidMessage', message: expect.stringContaining('trace.format') }
		});
		await page.close();
	} finally {
		await host.close();
	}
});

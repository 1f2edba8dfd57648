// The trace history end to end in Chromium: the built app, a scripted OpenAI-compatible server,
// the real loop and workers, the real IndexedDB. A run is crashed mid-way (the renderer killed
// through CDP, so no pagehide runs) and is there after reopening, up to its last event, marked
// interrupted; it replays and continues. Search, rename, delete with undo, export of the selection,
// import errors, a forced quota error, and the embed `history` message from host pages on other
// origins. Screenshots of the History tab go to test/e2e/screenshots/.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { useOpenAiServers } from '../fixtures/use-openai-servers.ts';
import { openAgentTab, runToEnd, useSkyrlSqlSchool } from './agent-ui-helpers.ts';
import { serveHost } from './embed-host.ts';
import { useRig } from './use-rig.ts';

const rig = useRig({ app: {} });
const scripted = useOpenAiServers();

type Msg = Record<string, any>;

let shared: BrowserContext | null = null;

/**
 * Opens a page in the file's one browser context, so every page shares the same storage (the
 * rig's `openPage` gives each page a context, and so an IndexedDB, of its own): the profile's own
 * context when there is one (quota overrides apply to it), else a new one.
 */
async function openPage(_browser: unknown, url: string): Promise<Page> {
	shared ??= rig.browser.contexts()[0] ?? (await rig.browser.newContext());
	const page = await shared.newPage();
	page.on('console', (msg) => {
		if (msg.type() === 'error') console.error('[page]', msg.text());
	});
	page.on('pageerror', (err) => console.error('[page error]', err.message));
	await page.goto(url);
	return page;
}

const question = 'How many students are in grade 12?';
const sql = 'SELECT COUNT(*) FROM students WHERE grade_level = 12';
const firstTurn = {
	chunks: [`<think>I count the twelfth graders.</think>\n<sql>${sql}</sql>`]
};
const answerTurn = { chunks: [`<think>That is the count.</think>\n<solution>${sql}</solution>`] };

async function openHistory(page: Page): Promise<void> {
	await page.locator('#tab-history').click();
	await page.waitForSelector('[data-testid=history-view]', { timeout: 30_000 });
}

/** Rows of the History list: id, title and outcome badge. */
function rows(page: Page): Promise<{ id: string; title: string; outcome: string }[]> {
	return page.locator('[data-testid=history-row]').evaluateAll((els) =>
		els.map((el) => ({
			id: (el as HTMLElement).dataset.id ?? '',
			title:
				(el.querySelector('[data-testid=history-title]') as HTMLElement | null)?.innerText ?? '',
			outcome:
				(el.querySelector('[data-testid=history-outcome-badge]') as HTMLElement).innerText ?? ''
		}))
	);
}

/** The saved events of a run, read through the page's History session. */
function savedEvents(page: Page, id: string): Promise<Msg[]> {
	return page.evaluate(
		async (id) => (await (globalThis as any).execlab.history.trace(id)).events,
		id
	);
}

/** Whether a saved text event (read from IndexedDB directly) holds `text`; runs in the page. */
async function savedText(text: string): Promise<boolean> {
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const open = indexedDB.open('execlab-history');
		open.onsuccess = () => resolve(open.result);
		open.onerror = () => reject(open.error);
	});
	try {
		if (!db.objectStoreNames.contains('events')) return false;
		const batches = await new Promise<{ type: string; text?: string }[][]>((resolve, reject) => {
			const r = db.transaction('events').objectStore('events').getAll();
			r.onsuccess = () => resolve(r.result);
			r.onerror = () => reject(r.error);
		});
		return batches.flat().some((e) => e.type === 'text' && e.text?.includes(text));
	} finally {
		db.close();
	}
}

const shot = async (page: Page, name: string) => {
	await page.waitForTimeout(200);
	await page.screenshot({ path: `test/e2e/screenshots/${name}.png` });
};

let crashedId = '';

test('a run crashed mid-way is saved up to its last event, shown interrupted, and replays and continues', async () => {
	const hang = { chunks: ['<think>Now I will write the final '], end: 'hang' as const };
	const server = await scripted([firstTurn, hang, answerTurn]);
	const page = await openPage(rig.browser, rig.app.url);
	await openAgentTab(page);
	await useSkyrlSqlSchool(page, server.url);
	await page.locator('[data-testid=agent-run]').click();
	// The second model call is streaming (and will never end) once its first words are shown.
	await page.waitForFunction(
		() =>
			document.querySelector('[data-testid=agent-transcript]')?.textContent?.includes('the final'),
		null,
		{ timeout: 120_000 }
	);
	// The streamed words reach IndexedDB on their own (read here straight from the database).
	const shownAt = Date.now();
	await page.waitForFunction(savedText, 'Now I will write the final', {
		timeout: 30_000,
		polling: 20
	});
	console.log(`streamed text saved ${Date.now() - shownAt} ms after it was on screen`);
	// Chromium can lose IndexedDB commits made in the last moments before a renderer crash, even
	// ones another connection already read (seen here within ~0.5 s; never after 3 s): the crash
	// comes once the text has been saved for 3 s.
	await page.waitForTimeout(3000);
	const cdp = await page.context().newCDPSession(page);
	const crashed = new Promise((resolve) => page.once('crash', resolve));
	// The renderer dies at once: no pagehide, no unload, no last flush.
	void cdp.send('Page.crash').catch(() => {});
	await crashed;
	void page.close().catch(() => {});

	const again = await openPage(rig.browser, rig.app.url);
	await openHistory(again);
	await again.waitForSelector('[data-testid=history-row]');
	const [row] = await rows(again);
	expect(row.outcome).toBe('interrupted');
	expect(row.title).toContain(question);
	crashedId = row.id;
	const events = await savedEvents(again, crashedId);
	// The trace's header is the start event; its events follow.
	const types = events.map((e) => e.type);
	expect(types[0], types.join()).toBe('call');
	expect(types, types.join()).toContain('observation');
	expect(types).not.toContain('stop');
	// The last saved event is the second call's streamed text: nothing before the crash was lost.
	const calls = events.filter((e) => e.type === 'call');
	expect(calls).toHaveLength(2);
	const text = events
		.filter((e) => e.type === 'text' && e.call === calls[1].call)
		.map((e) => e.text)
		.join('');
	const tail = JSON.stringify(events.slice(-4).map((e) => ({ ...e, header: undefined })));
	expect(text, tail).toBe('<think>Now I will write the final ');
	expect(events.at(-1)!.type).toBe('text');

	// Replay: the Agent tab opens with the trace, on the Replay provider.
	await again.locator(`[data-id="${crashedId}"] [data-testid=history-replay]`).click();
	await again.waitForSelector('[data-testid=agent-view]');
	expect(await again.locator('#tab-agent').getAttribute('aria-selected')).toBe('true');
	expect(await again.locator('[data-testid=agent-provider-kind]').inputValue()).toBe('replay');

	// Continue: the complete first turn is replayed, then the tab's provider (the scripted
	// server) answers live; the continued run is saved too.
	await openHistory(again);
	await again.locator(`[data-id="${crashedId}"] [data-testid=history-continue]`).click();
	await again.waitForSelector('[data-testid=agent-view]');
	await again.selectOption('[data-testid=agent-provider-kind]', 'openai');
	await again.fill('[data-testid=agent-base-url]', server.url);
	await again.fill('[data-testid=agent-model]', 'test-model');
	const postsBefore = server.requests.filter((r) => r.method === 'POST').length;
	await runToEnd(again);
	expect(server.requests.filter((r) => r.method === 'POST').length).toBe(postsBefore + 1);
	expect(await again.locator('[data-testid=agent-reward]').innerText()).toBe('reward 1');
	await openHistory(again);
	// The list follows the store: the continued run shows `running` until its last batch is saved.
	await again.waitForFunction(() =>
		[...document.querySelectorAll('[data-testid=history-row]')].some((row) =>
			row.querySelector('[data-testid=history-outcome-badge]')?.textContent?.includes('success')
		)
	);
	const after = await rows(again);
	expect(after.find((r) => r.id === crashedId)!.outcome).toBe('interrupted');
	expect(after.some((r) => r.id !== crashedId && r.outcome === 'success · 1')).toBe(true);
	await again.close();
});

test('a tab closed mid-run keeps the run up to its streamed words at once, interrupted', async () => {
	const hang = { chunks: ['<think>Closing the tab while I write '], end: 'hang' as const };
	const server = await scripted([firstTurn, hang]);
	const page = await openPage(rig.browser, rig.app.url);
	await openAgentTab(page);
	await useSkyrlSqlSchool(page, server.url);
	await page.locator('[data-testid=agent-run]').click();
	await page.waitForFunction(
		() =>
			document
				.querySelector('[data-testid=agent-transcript]')
				?.textContent?.includes('Closing the tab while'),
		null,
		{ timeout: 120_000 }
	);
	// Closed without waiting for anything: pagehide writes what is pending.
	await page.close({ runBeforeUnload: false });
	const again = await openPage(rig.browser, rig.app.url);
	await openHistory(again);
	await again.waitForSelector('[data-testid=history-row]');
	const closed = (await rows(again))[0];
	expect(closed.outcome).toBe('interrupted');
	const events = await savedEvents(again, closed.id);
	const text = events
		.filter((e) => e.type === 'text')
		.map((e) => e.text)
		.join('');
	expect(text).toContain('<think>Closing the tab while I write ');
	expect(events.filter((e) => e.type === 'observation')).toHaveLength(1);
	await again.locator(`[data-id="${closed.id}"] [data-testid=history-select]`).check();
	await again.locator('[data-testid=history-delete]').click();
	await again.evaluate(() => (globalThis as any).execlab.history.commitDelete());
	await again.close();
});

test('search, filters, rename, delete with undo, export of the selection, strict import', async () => {
	const page = await openPage(rig.browser, rig.app.url);
	await page.setViewportSize({ width: 1280, height: 800 });
	await openHistory(page);
	await page.waitForSelector('[data-testid=history-row]');
	const all = await rows(page);
	expect(all.length).toBeGreaterThanOrEqual(2);

	await page.fill('[data-testid=history-search]', 'GRADE 12 test-model');
	expect((await rows(page)).length).toBe(all.length);
	await page.fill('[data-testid=history-search]', 'no such words anywhere');
	await page.waitForSelector('[data-testid=history-no-match]');
	await page.fill('[data-testid=history-search]', '');
	await page.selectOption('[data-testid=history-outcome]', 'interrupted');
	expect((await rows(page)).map((r) => r.id)).toEqual([crashedId]);
	await page.selectOption('[data-testid=history-outcome]', '');

	// Rename inline; the title survives a reload.
	await page.locator(`[data-id="${crashedId}"] [data-testid=history-title]`).click();
	await page.fill('[data-testid=history-rename-input]', 'Crashed grade-12 count');
	await page.keyboard.press('Enter');
	await page.waitForFunction(
		(id) =>
			(document.querySelector(`[data-id="${id}"] [data-testid=history-title]`) as HTMLElement)
				?.innerText === 'Crashed grade-12 count',
		crashedId
	);
	await page.reload();
	await page.waitForSelector('[data-testid=history-row]');
	expect((await rows(page)).find((r) => r.id === crashedId)!.title).toBe('Crashed grade-12 count');

	// Export the selection: JSON refuses two traces, JSONL holds both as schema v2.
	await page.locator('[data-testid=history-select-all]').check();
	await page.selectOption('[data-testid=history-format]', 'json');
	await page.locator('[data-testid=history-export]').click();
	expect(await page.locator('[data-testid=history-problem]').innerText()).toMatch(
		/holds one trace and \d+ are selected/
	);
	await page.selectOption('[data-testid=history-format]', 'jsonl');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.locator('[data-testid=history-export]').click()
	]);
	const jsonl = readFileSync((await download.path())!, 'utf8')
		.trim()
		.split('\n');
	expect(jsonl).toHaveLength(all.length);
	const exported = jsonl.map((l) => JSON.parse(l));
	expect(exported.every((t) => t.format === 'execlab-trace' && t.version === 2)).toBe(true);
	const crashed = exported.find((t) => t.outcome.reason === 'interrupted');
	expect(crashed.header.task.question).toBe(question);
	expect(crashed.outcome.turns).toBe(2);

	// Import: a bad second record changes nothing and is named; a good file adds its traces.
	const dir = tmpdir();
	const bad = join(dir, 'history-bad.jsonl');
	writeFileSync(bad, `${jsonl[0]}\n${JSON.stringify({ ...exported[0], version: 3 })}\n`);
	await page.setInputFiles('[data-testid=history-import]', bad);
	await page.waitForSelector('[data-testid=history-problem]');
	expect(await page.locator('[data-testid=history-problem]').innerText()).toMatch(
		/history-bad\.jsonl: record 2: version: expected 1 or 2, got 3/
	);
	expect((await rows(page)).length).toBe(all.length);
	const good = join(dir, 'history-good.json');
	writeFileSync(good, JSON.stringify(exported[0]));
	await page.setInputFiles('[data-testid=history-import]', good);
	await page.waitForFunction(
		(n) => document.querySelectorAll('[data-testid=history-row]').length === n,
		all.length + 1
	);
	expect(await page.locator('[data-testid=history-status]').innerText()).toContain(
		'Imported 1 trace from history-good.json'
	);
	await page.locator('[data-testid=history-select-all]').uncheck();

	// Delete with undo, then for good.
	const imported = (await rows(page)).find((r) => !all.some((a) => a.id === r.id))!;
	// An imported trace reads back exactly as it was exported (schema v2, every field).
	expect(
		await page.evaluate((id) => (globalThis as any).execlab.history.trace(id), imported.id)
	).toEqual(exported[0]);
	const select = page.locator(`[data-id="${imported.id}"] [data-testid=history-select]`);
	await select.check();
	await page.locator('[data-testid=history-delete]').click();
	await page.waitForSelector('[data-testid=history-undo-bar]');
	expect((await rows(page)).some((r) => r.id === imported.id)).toBe(false);
	await page.locator('[data-testid=history-undo]').click();
	expect((await rows(page)).some((r) => r.id === imported.id)).toBe(true);
	await select.check();
	await page.locator('[data-testid=history-delete]').click();
	await page.evaluate(() => (globalThis as any).execlab.history.commitDelete());
	await page.reload();
	await page.waitForSelector('[data-testid=history-row]');
	expect((await rows(page)).map((r) => r.id).sort()).toEqual(all.map((r) => r.id).sort());

	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		await page.setViewportSize({ width: 1280, height: 800 });
		await shot(page, `history-${scheme}-desktop`);
		await page.setViewportSize({ width: 390, height: 844 });
		await shot(page, `history-${scheme}-narrow`);
	}
	await page.close();
});

test('embed `history` from host pages on other origins lists only their own agent-runs', async () => {
	const server = await scripted([firstTurn, answerTurn]);
	const hostA = await serveHost(rig.app.url);
	const hostB = await serveHost(rig.app.url);
	try {
		const open = async (host: { url: string }) => {
			const page = await openPage(
				rig.browser,
				`${host.url}host.html?me=${encodeURIComponent(new URL(host.url).origin)}`
			);
			await page.evaluate(() => (window as any).waitFor((m: Msg) => m.type === 'ready'));
			return page;
		};
		const request = (page: Page, message: Msg): Promise<Msg> =>
			page.evaluate((m) => (window as any).request(m), message);
		const a = await open(hostA);
		const ready = await a.evaluate(() =>
			(window as any).received.find((m: Msg) => m.type === 'ready')
		);
		expect(ready.capabilities.messages).toContain('history');
		expect(await request(a, { execlab: 1, type: 'history', id: 'h0' })).toEqual({
			execlab: 1,
			type: 'result',
			id: 'h0',
			ok: true,
			traces: []
		});
		const run = await request(a, {
			execlab: 1,
			type: 'agent-run',
			id: 'run-a',
			provider: { kind: 'openai', baseUrl: server.url, model: 'host-model' },
			preset: 'skyrl-sql',
			mode: 'completion',
			task: { question, db: 'school', gold: sql }
		});
		expect(run.ok).toBe(true);
		let listed: Msg = {};
		// The run's last batch is written within ~50 ms of its stop.
		for (let i = 0; i < 20; i++) {
			listed = await request(a, { execlab: 1, type: 'history', id: `h${i + 1}` });
			if (listed.traces?.[0]?.outcome === 'success') break;
			await a.waitForTimeout(100);
		}
		expect(listed.ok).toBe(true);
		expect(listed.traces).toHaveLength(1);
		expect(listed.traces[0]).toEqual({
			id: expect.any(String),
			title: `${question}`,
			preset: 'skyrl-sql',
			model: 'host-model',
			startedAt: run.trace.header.startedAt,
			outcome: 'success'
		});
		// Another origin sees none of host A's runs, and neither sees the user's own.
		const b = await open(hostB);
		expect((await request(b, { execlab: 1, type: 'history', id: 'hb' })).traces).toEqual([]);
		const bad = await request(b, { execlab: 1, type: 'history', id: 'hx', all: true });
		expect(bad).toMatchObject({ ok: false, error: { type: 'InvalidMessage' } });

		// The user's History tab lists the host's run too, marked with its origin.
		const page = await openPage(rig.browser, rig.app.url);
		await openHistory(page);
		await page.waitForSelector(`[data-id="${listed.traces[0].id}"]`);
		expect(
			await page
				.locator(`[data-id="${listed.traces[0].id}"] [data-testid=history-meta]`)
				.innerText()
		).toContain(`embed: ${new URL(hostA.url).origin}`);
		for (const p of [a, b, page]) await p.close();
	} finally {
		// Not awaited: a frame's keep-alive connections would hold the close for a minute.
		void hostA.close();
		void hostB.close();
	}
});

test('a quota error while a run is saved is reported, and the runs saved before are kept', async () => {
	// Chromium's DevTools quota override (Storage.overrideQuotaForOrigin) refuses writes only now
	// and then (its quota check is cached), so the refusal is made at the API the store calls:
	// IndexedDB's put throws the browser's own QuotaExceededError once the test says so.
	const server = await scripted([firstTurn, answerTurn]);
	shared ??= rig.browser.contexts()[0] ?? (await rig.browser.newContext());
	const page = await shared.newPage();
	await page.addInitScript(() => {
		const put = IDBObjectStore.prototype.put;
		IDBObjectStore.prototype.put = function (
			this: IDBObjectStore,
			...args: [unknown, IDBValidKey?]
		) {
			if ((globalThis as any).refuseWrites && this.name === 'events')
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return put.apply(this, args);
		};
	});
	await page.goto(rig.app.url);
	await openHistory(page);
	await page.waitForSelector('[data-testid=history-row]');
	const before = await rows(page);
	await page.evaluate(() => ((globalThis as any).refuseWrites = true));
	await openAgentTab(page);
	await useSkyrlSqlSchool(page, server.url);
	await runToEnd(page);
	// The run itself is not disturbed by its recorder's failure.
	expect(await page.locator('[data-testid=agent-reward]').innerText()).toBe('reward 1');
	// The status bar says it, whichever tab is shown.
	expect(await page.locator('footer[aria-label=Status]').innerText()).toMatch(
		/Browser storage is full: the run ".*" is no longer being saved/
	);
	await openHistory(page);
	await page.waitForSelector('[data-testid=history-storage-problem]', { timeout: 10_000 });
	expect(await page.locator('[data-testid=history-storage-problem]').innerText()).toMatch(
		/Browser storage is full: the run ".*" is no longer being saved \(what was saved before is kept\)/
	);
	await page.evaluate(() => (globalThis as any).execlab.history.refresh());
	const after = await rows(page);
	expect(after.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
	await page.close();
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';
import { choirBytes, choirFacts } from '../fixtures/choir-db.ts';
import { spiderDb, testRealData } from '../shared-data.ts';
import { serveHost } from './embed-host.ts';

// The postMessage contract v1 end to end: the built app in an iframe on one port, driven by host
// pages on other ports (one allowed, one not, one cross-origin isolated).

type Msg = Record<string, unknown> & { error?: Record<string, unknown> };

let browser: Browser;
let app: StaticServer;
let allowedHost: StaticServer;
let strangerHost: StaticServer;
let isolatedHost: StaticServer;
const debugLines: string[] = [];

beforeAll(async () => {
	browser = await launchChromium();
	app = await serveStatic({ isolated: true });
	// Each host serves only its page; the app's URL (with ?allowOrigin=) is filled in per request.
	allowedHost = await serveHost(app.url);
	// Allows the other host's origin, not its own: its messages must be ignored.
	strangerHost = await serveHost(app.url, { allowFrom: 'other' });
	isolatedHost = await serveHost(app.url, { isolated: true, allow: 'cross-origin-isolated' });
});
afterAll(async () => {
	await browser?.close();
	for (const s of [app, allowedHost, strangerHost, isolatedHost]) await s?.close();
});

const originOf = (s: StaticServer) => new URL(s.url).origin;

async function openHost(server: StaticServer, query: string): Promise<Page> {
	const page = await openPage(browser, `${server.url}host.html?${query}`);
	page.on('console', (m) => {
		if (m.type() === 'debug') debugLines.push(m.text());
	});
	return page;
}

function appFrame(page: Page): Frame {
	const frame = page.frames().find((f) => f.url().startsWith(app.url));
	if (!frame) throw new Error('app frame missing');
	return frame;
}

const request = (page: Page, message: unknown): Promise<Msg> =>
	page.evaluate(
		(m) => (window as unknown as { request(m: unknown): Promise<Msg> }).request(m),
		message
	);

/** Sends load-db (name "concert") with a file's bytes, transferring the buffer. */
const loadDb = (page: Page, bytes: number[]): Promise<Msg> =>
	page.evaluate((b) => {
		const buffer = new Uint8Array(b).buffer;
		return (window as unknown as { request(m: unknown, t: Transferable[]): Promise<Msg> }).request(
			{ execlab: 1, type: 'load-db', id: 'db', name: 'concert', bytes: buffer },
			[buffer]
		);
	}, bytes);

test('an allowed host gets ready and a correct reply to every message type', async () => {
	const me = originOf(allowedHost);
	const page = await openHost(allowedHost, `me=${encodeURIComponent(me)}`);
	const ready = await page.evaluate(() =>
		(window as unknown as { waitFor(p: (m: Msg) => boolean): Promise<Msg> }).waitFor(
			(m) => m.type === 'ready'
		)
	);
	expect(ready).toEqual({
		execlab: 1,
		type: 'ready',
		version: expect.stringMatching(/^\d+\.\d+\.\d+/),
		// The host sends no COOP/COEP, so the frame cannot be isolated, whatever the app sends.
		isolated: false,
		capabilities: {
			contract: 1,
			languages: ['python', 'sql'],
			messages: expect.arrayContaining(['run', 'load-db', 'schema', 'reset']),
			interrupts: false,
			// A first visit: no service worker controls the frame yet.
			offline: false
		}
	});

	// run python: ok, then an error with the user's line.
	const ok = await request(page, {
		execlab: 1,
		type: 'run',
		id: 'py-ok',
		language: 'python',
		code: 'import sys\nprint("hello", sys.version_info[0])\nx = 6\nx * 7'
	});
	expect(ok).toMatchObject({
		execlab: 1,
		type: 'result',
		id: 'py-ok',
		ok: true,
		stdout: 'hello 3\n',
		stderr: '',
		value: '42',
		truncated: false
	});
	expect(ok.durationMs).toBeGreaterThan(0);
	// Not isolated: a time limit is a hard stop, and the session is rebuilt (x survives).
	const loop = await request(page, {
		execlab: 1,
		type: 'run',
		id: 'loop',
		language: 'python',
		code: 'while True:\n    pass',
		timeoutMs: 1500
	});
	expect(loop).toMatchObject({
		ok: false,
		stopped: { kind: 'hard-stop', reason: 'timeout', rebuilt: true }
	});
	expect(
		await request(page, { execlab: 1, type: 'run', id: 'kept', language: 'python', code: 'x' })
	).toMatchObject({ ok: true, value: '6' });
	const err = await request(page, {
		execlab: 1,
		type: 'run',
		id: 7,
		language: 'python',
		code: 'y = 1\n\nz = y / 0\n',
		timeoutMs: 20_000
	});
	expect(err).toMatchObject({ id: 7, ok: false, error: { type: 'ZeroDivisionError', line: 3 } });
	expect(err.error?.message).toBe('division by zero');

	// load-db with the bytes of a .sqlite (transferred), schema, run sql ok and failing.
	const loaded = await loadDb(page, [...(await choirBytes())]);
	expect(loaded).toMatchObject({ id: 'db', ok: true });
	expect([...(loaded.tables as string[])].sort()).toEqual([...choirFacts.tables]);
	const schema = await request(page, { execlab: 1, type: 'schema', id: 'sc', db: 'concert' });
	expect(schema).toMatchObject({ ok: true, schema: { db: 'concert' } });
	const tables = (
		schema.schema as { tables: { name: string; rowCount: number; columns: { name: string }[] }[] }
	).tables;
	const singer = tables.find((t) => t.name === 'sänger');
	expect(singer?.rowCount).toBe(choirFacts.singers);
	expect(singer?.columns.map((c) => c.name)).toContain('name');
	const sql = await request(page, {
		execlab: 1,
		type: 'run',
		id: 'sql-ok',
		language: 'sql',
		db: 'concert',
		code: 'SELECT name, jahrgang FROM sänger ORDER BY jahrgang DESC',
		maxRows: 2
	});
	expect(sql).toMatchObject({
		ok: true,
		columns: ['name', 'jahrgang'],
		rowCount: choirFacts.singers,
		truncated: true,
		stdout: '',
		stderr: ''
	});
	expect(sql.rows).toHaveLength(2);
	const sqlErr = await request(page, {
		execlab: 1,
		type: 'run',
		id: 'sql-err',
		language: 'sql',
		db: 'concert',
		code: 'SELEC 1'
	});
	expect(sqlErr).toMatchObject({ ok: false, error: { type: 'SqliteError' } });
	expect(sqlErr.error?.message).toMatch(/syntax error/);

	// reset: Python forgets x; SQL closes what the host loaded.
	expect(await request(page, { execlab: 1, type: 'reset', id: 'rp', language: 'python' })).toEqual({
		execlab: 1,
		type: 'result',
		id: 'rp',
		ok: true
	});
	const gone = await request(page, {
		execlab: 1,
		type: 'run',
		id: 'g',
		language: 'python',
		code: 'x'
	});
	expect(gone).toMatchObject({ ok: false, error: { type: 'NameError', line: 1 } });
	expect(
		await request(page, { execlab: 1, type: 'reset', id: 'rs', language: 'sql' })
	).toMatchObject({
		ok: true,
		closed: ['concert']
	});
	expect(
		await request(page, { execlab: 1, type: 'schema', id: 'sc2', db: 'concert' })
	).toMatchObject({
		ok: false
	});

	// Malformed messages of several kinds: each gets a result with ok:false, never silence.
	const malformed: [unknown, unknown, string][] = [
		['run python please', null, 'InvalidMessage'],
		[{ type: 'run', id: 'm1', language: 'python', code: '1' }, 'm1', 'InvalidMessage'],
		[{ execlab: 2, type: 'run', id: 'm2' }, 'm2', 'UnsupportedVersion'],
		[{ execlab: 1, type: 'explode', id: 'm3' }, 'm3', 'UnknownMessageType'],
		[{ execlab: 1, type: 'run', id: 'm4', language: 'python' }, 'm4', 'InvalidMessage'],
		[
			{ execlab: 1, type: 'run', id: 'm5', language: 'sql', code: 'SELECT 1', maxRows: 'all' },
			'm5',
			'InvalidMessage'
		],
		[
			{ execlab: 1, type: 'load-db', id: 'm6', name: 'x', bytes: [1, 2, 3] },
			'm6',
			'InvalidMessage'
		],
		[{ execlab: 1, type: 'run', language: 'python', code: '1' }, null, 'InvalidMessage']
	];
	for (const [message, id, type] of malformed) {
		const reply = await request(page, message);
		expect(reply, JSON.stringify(message)).toMatchObject({
			execlab: 1,
			type: 'result',
			id,
			ok: false,
			error: { type }
		});
		expect(typeof reply.error?.message).toBe('string');
	}
	// The frame kept working after all that.
	const still = await request(page, {
		execlab: 1,
		type: 'run',
		id: 'end',
		language: 'python',
		code: '2 + 2'
	});
	expect(still).toMatchObject({ ok: true, value: '4' });
	await page.close();
});

testRealData(
	'load-db with a real .sqlite: Spider concert_singer, a keyword column quoted',
	async () => {
		const me = originOf(allowedHost);
		const page = await openHost(allowedHost, `me=${encodeURIComponent(me)}`);
		await page.evaluate(() =>
			(window as unknown as { waitFor(p: (m: Msg) => boolean): Promise<Msg> }).waitFor(
				(m) => m.type === 'ready'
			)
		);
		const loaded = await loadDb(page, [...readFileSync(spiderDb('concert_singer'))]);
		expect(loaded).toMatchObject({ id: 'db', ok: true });
		expect([...(loaded.tables as string[])].sort()).toEqual(
			['konzert', 'stadion', 'sänger', 'sänger_im_konzert'].sort()
		);
		const sql = await request(page, {
			execlab: 1,
			type: 'run',
			id: 'sql-ok',
			language: 'sql',
			db: 'concert',
			code: 'SELECT name, "alter" FROM sänger ORDER BY "alter" DESC',
			maxRows: 2
		});
		expect(sql).toMatchObject({
			ok: true,
			columns: ['name', 'alter'],
			rowCount: 6,
			truncated: true
		});
		expect(sql.rows).toHaveLength(2);
		await page.close();
	}
);

test('a host that is not allowed gets no ready, no reply, and its code does not run', async () => {
	const page = await openHost(strangerHost, `other=${encodeURIComponent(originOf(allowedHost))}`);
	const frame = appFrame(page);
	await frame.waitForFunction(
		() => (globalThis as { execlab?: { embed?: unknown } }).execlab?.embed,
		null,
		{
			timeout: 60_000
		}
	);
	await page.evaluate(() =>
		(window as unknown as { post(m: unknown): void }).post({
			execlab: 1,
			type: 'run',
			id: 'evil',
			language: 'python',
			code: 'stranger_was_here = True'
		})
	);
	// The frame itself (own origin, always allowed) proves Python works and the marker was never set.
	const own = await frame.evaluate(async () => {
		const { dispatcher } = (
			globalThis as unknown as {
				execlab: {
					embed: {
						dispatcher: { handle(d: unknown, o: string, r: (m: unknown) => void): Promise<void> };
					};
				};
			}
		).execlab.embed;
		const replies: unknown[] = [];
		await dispatcher.handle(
			{ execlab: 1, type: 'run', id: 'check', language: 'python', code: 'stranger_was_here' },
			location.origin,
			(m) => replies.push(m)
		);
		return replies;
	});
	expect(own).toEqual([
		expect.objectContaining({
			id: 'check',
			ok: false,
			error: expect.objectContaining({ type: 'NameError' })
		})
	]);
	// Give a late reply every chance to arrive: there must be none, and no ready either.
	await new Promise((r) => setTimeout(r, 1500));
	expect(
		await page.evaluate(() => (window as unknown as { received: unknown[] }).received)
	).toEqual([]);
	expect(
		debugLines.some((l) => l.includes(`ignored a message from ${originOf(strangerHost)}`))
	).toBe(true);
	await page.close();
});

test('an isolated host (COOP/COEP, allow="cross-origin-isolated") gets isolated: true', async () => {
	const me = originOf(isolatedHost);
	const page = await openHost(isolatedHost, `me=${encodeURIComponent(me)}`);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	const ready = await page.evaluate(() =>
		(window as unknown as { waitFor(p: (m: Msg) => boolean): Promise<Msg> }).waitFor(
			(m) => m.type === 'ready'
		)
	);
	expect(ready).toMatchObject({
		type: 'ready',
		isolated: true,
		capabilities: { interrupts: true }
	});
	const r = await request(page, {
		execlab: 1,
		type: 'run',
		id: 'iso',
		language: 'python',
		code: '1 + 1'
	});
	expect(r).toMatchObject({ ok: true, value: '2' });
	// Isolated: a time limit interrupts (KeyboardInterrupt) and keeps the namespace.
	await request(page, {
		execlab: 1,
		type: 'run',
		id: 'set',
		language: 'python',
		code: 'kept = 41'
	});
	const loop = await request(page, {
		execlab: 1,
		type: 'run',
		id: 'loop',
		language: 'python',
		code: 'while True:\n    pass',
		timeoutMs: 1500
	});
	expect(loop).toMatchObject({ ok: false, stopped: { kind: 'interrupt', reason: 'timeout' } });
	expect(
		await request(page, {
			execlab: 1,
			type: 'run',
			id: 'after',
			language: 'python',
			code: 'kept + 1'
		})
	).toMatchObject({ ok: true, value: '42' });
	// trace: the steps of the code sent; a time limit interrupts it as it does a run, the steps up
	// to the stop kept, and the next run sees no trace hook.
	const traced = await request(page, {
		execlab: 1,
		type: 'trace',
		id: 'tr',
		code: 'def sq(v):\n    return v * v\nprint(sq(4))'
	});
	expect(traced).toMatchObject({ ok: true, truncated: false, stdout: '16\n' });
	expect((traced.steps as { event: string; line: number }[]).map((s) => [s.event, s.line])).toEqual(
		[
			['line', 1],
			['return', 1],
			['line', 3],
			['call', 1],
			['line', 2],
			['return', 2],
			['return', 3]
		]
	);
	const spin = await request(page, {
		execlab: 1,
		type: 'trace',
		id: 'tr-loop',
		code: 'import time\nwhile True:\n    time.sleep(0.01)',
		timeoutMs: 1500
	});
	expect(spin).toMatchObject({
		ok: false,
		truncated: false,
		error: { type: 'KeyboardInterrupt' },
		stopped: { kind: 'interrupt', reason: 'timeout' }
	});
	expect((spin.steps as unknown[]).length).toBeGreaterThan(10);
	expect(
		await request(page, {
			execlab: 1,
			type: 'run',
			id: 'no-hook',
			language: 'python',
			code: 'import sys\nsys.gettrace() is None'
		})
	).toMatchObject({ ok: true, value: 'True' });
	await page.close();
});

// `agent-run` and `stop` from a host page on another localhost port: the built app in an iframe,
// a scripted OpenAI-compatible server on a third port, the real loop and the app's SQL worker.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startOpenAiServer, type ScriptedServer } from '../fixtures/index.ts';
import { serveHost } from './embed-host.ts';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';

type Msg = Record<string, any>;

let browser: Browser;
let app: StaticServer;
let host: StaticServer;
let page: Page;
const servers: ScriptedServer[] = [];

beforeAll(async () => {
	browser = await launchChromium();
	app = await serveStatic({ isolated: true });
	host = await serveHost(app.url);
	page = await openPage(
		browser,
		`${host.url}host.html?me=${encodeURIComponent(new URL(host.url).origin)}`
	);
	await page.evaluate(() => (window as any).waitFor((m: Msg) => m.type === 'ready'));
});
afterAll(async () => {
	await browser?.close();
	for (const s of [app, host]) await s?.close();
	for (const s of servers) await s.close();
});

async function scripted(script: Parameters<typeof startOpenAiServer>[0]): Promise<ScriptedServer> {
	const s = await startOpenAiServer(script);
	servers.push(s);
	return s;
}

/** Sends a request from the host page and resolves with its result. */
const request = (message: Msg): Promise<Msg> =>
	page.evaluate((m) => (window as any).request(m), message);
/** Events received for an id, in order. */
const eventsFor = (id: string): Promise<Msg[]> =>
	page.evaluate(
		(id) =>
			(window as any).received
				.filter((m: Msg) => m.type === 'event' && m.id === id)
				.map((m: Msg) => m.event),
		id
	);

const task = {
	question: 'How many departments are there?',
	db: 'school',
	gold: 'SELECT COUNT(*) FROM departments'
};

test('ready announces agent-run and stop', async () => {
	const ready = await page.evaluate(() =>
		(window as any).received.find((m: Msg) => m.type === 'ready')
	);
	expect(ready.capabilities.messages).toEqual(expect.arrayContaining(['agent-run', 'stop']));
});

test('agent-run streams every loop event and ends with a result holding the trace', async () => {
	const server = await scripted([
		{
			chunks: [
				'<think>Count the ',
				'departments.</think>\n<sql>SELECT COUNT(*) FROM depart',
				'ments</sql>'
			]
		},
		{ chunks: ['<think>Seven.</think>\n<solution>SELECT COUNT(*) FROM departments</solution>'] }
	]);
	const result = await request({
		execlab: 1,
		type: 'agent-run',
		id: 'run-1',
		provider: {
			kind: 'openai',
			baseUrl: server.url,
			model: 'test-model',
			apiKey: 'sk-host-key-42'
		},
		preset: 'skyrl-sql',
		mode: 'completion',
		task,
		budgets: { maxTurns: 4 }
	});
	expect(result).toMatchObject({ execlab: 1, type: 'result', id: 'run-1', ok: true, reward: 1 });
	const events = await eventsFor('run-1');
	const types = events.map((e) => e.type);
	expect(types[0]).toBe('start');
	expect(types.at(-1)).toBe('stop');
	for (const t of ['call', 'text', 'call-end', 'action', 'observation', 'answer', 'reward'])
		expect(types).toContain(t);
	const observation = events.find((e) => e.type === 'observation')!;
	expect(observation.text).toContain('<observation>');
	expect(observation.text).toContain('3 turns left');
	// The trace is the event list (text deltas merged), with the exact prompt and no key.
	const trace = result.trace;
	expect(trace.format).toBe('execlab-trace');
	expect(trace.header.prompt.completion).toBe(server.requests[0].body.prompt);
	expect(trace.events.map((e: Msg) => e.type)).toEqual(
		types.slice(1).filter((t, i, all) => t !== 'text' || all[i - 1] !== 'text')
	);
	expect(JSON.stringify(result)).not.toContain('sk-host-key-42');
	expect(server.requests[0].headers.authorization).toBe('Bearer sk-host-key-42');

	// The same trace back through provider.trace replays (re-executing live) to the same reward.
	const replay = await request({
		execlab: 1,
		type: 'agent-run',
		id: 'run-2',
		provider: { kind: 'replay', trace },
		preset: 'skyrl-sql',
		mode: 'completion',
		task,
		budgets: { maxTurns: 4 }
	});
	expect(replay).toMatchObject({ ok: true, reward: 1, stopReason: 'answer' });
	expect(replay.trace.events.filter((e: Msg) => e.type === 'observation')[0].text).toBe(
		observation.text
	);
});

test('stop with the agent-run id stops it: its result ends with stop/user and the request closes', async () => {
	const server = await scripted([
		{ chunks: Array.from({ length: 300 }, (_, i) => `w${i} `), delayMs: 100 }
	]);
	const pending = page.evaluate((m) => (window as any).request(m), {
		execlab: 1,
		type: 'agent-run',
		id: 'slow',
		provider: { kind: 'openai', baseUrl: server.url, model: 'test-model' },
		preset: 'skyrl-sql',
		task
	});
	await page.evaluate(() =>
		(window as any).waitFor(
			(m: Msg) => m.type === 'event' && m.id === 'slow' && m.event.type === 'text'
		)
	);
	await page.evaluate(() => (window as any).post({ execlab: 1, type: 'stop', id: 'slow' }));
	const result = await pending;
	expect(result).toMatchObject({ ok: true, stopReason: 'user' });
	expect(result.trace.events.at(-1)).toMatchObject({ type: 'stop', reason: 'user' });
	expect(await server.requests[0].outcome).toBe('client-closed');
	const events = await eventsFor('slow');
	expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'user' });
});

test('malformed agent-run and stop for nothing running get ok:false', async () => {
	const bad = await request({
		execlab: 1,
		type: 'agent-run',
		id: 'bad-1',
		provider: { kind: 'openai', model: 'm' },
		preset: 'no-such-preset',
		task
	});
	expect(bad).toMatchObject({ ok: false, error: { type: 'InvalidMessage' } });
	expect(bad.error.message).toContain('preset');
	const noTask = await request({
		execlab: 1,
		type: 'agent-run',
		id: 'bad-2',
		provider: { kind: 'replay', turns: [] },
		preset: 'fenced'
	});
	expect(noTask).toMatchObject({ ok: false, error: { type: 'InvalidMessage' } });
	const idle = await request({ execlab: 1, type: 'stop', id: 'nothing' });
	expect(idle).toMatchObject({ ok: false, error: { type: 'NotRunning' } });
});

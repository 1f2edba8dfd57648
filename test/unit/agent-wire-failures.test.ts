import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { getPreset } from '../../src/core/presets/index.ts';
import type { AgentEvent } from '../../src/core/trace/events.ts';
import type { ScriptedReply } from '../fixtures/index.ts';
import {
	wireTask,
	expectWellFormedTrace,
	modelText,
	trackUnhandled,
	wireSuite
} from './helpers/agent-wire.ts';
import { ofType } from './helpers/run-events.ts';

// Provider failures, dropped streams, the user's Stop and servers that ignore stop strings, through
// the real providers over HTTP to the scripted servers. A failure is an `error` event whose code is
// the doctor's kind, then `stop` with reason 'error'; never a rejection, never a hang.

const suite = wireSuite();
const { wires } = suite;
const unhandled = trackUnhandled();
const task = wireTask;
const skyrl = getPreset('skyrl-sql');
const turn1 = '<think>Zählen.</think>\n<sql>SELECT count(*) FROM sänger</sql>';
const turn2 = '<think>6.</think>\n<solution>SELECT count(*) FROM sänger</solution>';

afterEach(async () => {
	// Late rejections (a stream settling after the run ended) would show up within a tick or two.
	await new Promise((r) => setTimeout(r, 50));
	expect(unhandled.list).toEqual([]);
});
afterAll(() => unhandled.dispose());

/** The error and stop events that end a failed run. */
function expectFailure(events: AgentEvent[], code: string): Extract<AgentEvent, { type: 'error' }> {
	expect(events.slice(-2)).toMatchObject([
		{ type: 'error', code, fatal: true },
		{ type: 'stop', reason: 'error' }
	]);
	expectWellFormedTrace(events);
	return ofType(events, 'error')[0];
}

describe('HTTP errors become the doctor’s kinds', () => {
	test('401 (wrong key, OpenAI): code auth, nothing retried, the key never in the message', async () => {
		const { server, provider } = await wires.openAi([], {
			apiKey: 'sk-right-key',
			clientKey: 'sk-wrong-key-1234'
		});
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'chat' });
		const error = expectFailure(events, 'auth');
		expect(error.message).toBe('The server did not accept the API key (401 Unauthorized).');
		expect(JSON.stringify(events)).not.toContain('sk-wrong-key-1234');
		expect(server.requests).toHaveLength(1);
		expect(ofType(events, 'call-end')).toMatchObject([{ finishReason: 'aborted', cut: false }]);
	});

	test('401 (Anthropic x-api-key): code auth', async () => {
		const { provider } = await wires.anthropic([], { apiKey: 'right', clientKey: 'wrong-key' });
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'chat' });
		expectFailure(events, 'auth');
	});

	test('429 with Retry-After: code rate-limit, the wait in the message, no retry', async () => {
		const { server, provider } = await wires.openAi([
			{
				status: 429,
				headers: { 'Retry-After': '7' },
				error: {
					message: 'Rate limit reached for requests',
					type: 'requests',
					code: 'rate_limit_exceeded'
				}
			}
		]);
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'completion' });
		const error = expectFailure(events, 'rate-limit');
		expect(error.message).toBe('Too many requests: the server asks to slow down and retry in 7 s.');
		expect(server.requests).toHaveLength(1);
	});

	test('500 on the second call: the first turn’s action and observation stay in the trace', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: [turn1] },
			{ status: 500, error: { message: 'CUDA out of memory' } }
		]);
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'chat' });
		const error = expectFailure(events, 'server');
		expect(error.message).toBe('The server failed (500); it is not your request’s fault.');
		expect(ofType(events, 'action')).toHaveLength(1);
		expect(ofType(events, 'observation')[0].status).toBe('ok');
		expect(server.requests).toHaveLength(2);
	});

	test('Anthropic 529 overloaded and an in-stream error event: code server', async () => {
		const overloaded = await wires.anthropic([{ status: 529, error: { message: 'Overloaded' } }]);
		expectFailure(
			await suite.drive({ provider: overloaded.provider, preset: skyrl, task, mode: 'chat' }),
			'server'
		);
		const midway = await wires.anthropic([
			{ chunks: ['<think>Zäh'], streamError: { message: 'Overloaded', type: 'overloaded_error' } }
		]);
		const events = await suite.drive({
			provider: midway.provider,
			preset: skyrl,
			task,
			mode: 'chat'
		});
		expect(modelText(events)).toEqual(['<think>Zäh']);
		expectFailure(events, 'server');
	});
});

describe('a stream dropped mid-token', () => {
	test('OpenAI: error kind dropped, the partial text kept, the trace well-formed', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: ['<think>Ich zä', 'hle die Sä'], end: 'drop' }
		]);
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'chat' });
		const error = expectFailure(events, 'dropped');
		expect(error.message).toBe(
			'The connection closed in the middle of the answer; the reply is incomplete.'
		);
		expect(modelText(events)).toEqual(['<think>Ich zähle die Sä']);
		expect(ofType(events, 'call-end')).toMatchObject([{ finishReason: 'aborted', cut: false }]);
		expect(await server.requests[0].outcome).toBe('dropped');
	});

	test('completion mode, second call dropped inside a tag: nothing of it is executed', async () => {
		const { provider } = await wires.openAi([
			{ chunks: [turn1] },
			{ chunks: ['<think>ok</think>\n<solution>SELECT co'], end: 'drop' }
		]);
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'completion' });
		expectFailure(events, 'dropped');
		expect(ofType(events, 'action')).toHaveLength(1);
		expect(ofType(events, 'answer')).toHaveLength(0);
		expect(ofType(events, 'reward')).toHaveLength(0);
	});

	test('Anthropic: a stream cut before message_stop is dropped too', async () => {
		const { provider } = await wires.anthropic([{ chunks: ['<think>Ich zä'], end: 'drop' }]);
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'chat' });
		expectFailure(events, 'dropped');
	});
});

describe('the user’s Stop', () => {
	const slow = (n: number, delayMs: number): ScriptedReply => ({
		chunks: Array.from({ length: n }, (_, i) => ({ text: `Gedanke ${i}. `, delayMs }))
	});

	for (const wire of ['openai', 'anthropic'] as const) {
		test(`${wire}: Stop after the first chunk ends the run with reason user and closes the connection`, async () => {
			const script = [slow(40, 100)];
			const { server, provider } =
				wire === 'openai' ? await wires.openAi(script) : await wires.anthropic(script);
			const controller = new AbortController();
			const events = await suite.drive(
				{ provider, preset: skyrl, task, mode: 'chat', signal: controller.signal },
				(e) => {
					if (e.type === 'text') controller.abort();
				}
			);
			expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'user' });
			expect(ofType(events, 'error')).toHaveLength(0);
			expect(ofType(events, 'text')).toHaveLength(1);
			// The script has 40 chunks: one arrived, then the client hung up.
			expect(await server.requests[0].outcome).toBe('client-closed');
			expectWellFormedTrace(events);
		});
	}

	test('a server that hangs after its first chunk: Stop still ends the run', async () => {
		const { server, provider } = await wires.openAi([{ chunks: ['<think>Hmm'], end: 'hang' }]);
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 300);
		const events = await suite.drive({
			provider,
			preset: skyrl,
			task,
			signal: controller.signal
		});
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'user' });
		expect(modelText(events)).toEqual(['<think>Hmm']);
		expect(await server.requests[0].outcome).toBe('client-closed');
	});

	test('Stop before the run starts: no request is sent', async () => {
		const { server, provider } = await wires.openAi([{ chunks: [turn1] }]);
		const events = await suite.drive({
			provider,
			preset: skyrl,
			task,
			signal: AbortSignal.abort()
		});
		expect(events.map((e) => e.type)).toEqual(['start', 'stop']);
		expect(events.at(-1)).toMatchObject({ reason: 'user' });
		expect(server.requests).toHaveLength(0);
	});
});

describe('a server that ignores stop strings', () => {
	test('the loop cuts the request at </sql>; the invented observation never reaches the transcript', async () => {
		const invented = Array.from({ length: 20 }, (_, i) => ({
			text: i === 0 ? '\n\n<observation>999</observation>\n' : `<think>erfunden ${i}</think>`,
			delayMs: 50
		}));
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					'<think>Zählen.</think>\n<sql>SELECT count(*) FROM sänger</s',
					'ql>\n\n<obs',
					...invented
				],
				honorStop: false
			},
			{ chunks: [`${turn2}\nNoch`, ' mehr Text.'], honorStop: false }
		]);
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'completion' });
		expect(ofType(events, 'call-end').map((e) => [e.finishReason, e.cut])).toEqual([
			['cut', true],
			['cut', true]
		]);
		expect(modelText(events)).toEqual([turn1, turn2]);
		expect(await server.requests[0].outcome).toBe('client-closed');
		expect(['client-closed', 'complete']).toContain(await server.requests[1].outcome);
		const second = server.requests[1].body.prompt as string;
		expect(second).not.toContain('999');
		expect(second).not.toContain('erfunden');
		expect(second).not.toContain('<obs\n');
		expect(second.endsWith(turn1 + ofType(events, 'observation')[0].text)).toBe(true);
		// What came after the answer in the same chunk is flagged; nothing later is even read.
		expect(ofType(events, 'answer')[0]).toMatchObject({ trailing: '\nNoch' });
		expect(JSON.stringify(events)).not.toContain('mehr Text');
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
	});
});

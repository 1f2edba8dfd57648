import { describe, expect, test } from 'vitest';
import { getPreset } from '../../src/core/presets/index.ts';
import {
	wireTask,
	expectWellFormedTrace,
	modelText,
	sentMessages,
	wireSuite
} from './helpers/agent-wire.ts';
import { ofType } from './helpers/run-events.ts';

// SkyRL-SQL's happy path through the REAL providers (OpenAI chat and /v1/completions, Anthropic text)
// over HTTP to the scripted servers with real sql.js, and the continuation style each provider gets.

const suite = wireSuite();
const { wires } = suite;
const task = wireTask;
const skyrl = getPreset('skyrl-sql');

const skyrlTurn1 =
	'<think>Ich zähle die Zeilen von sänger.</think>\n<sql>SELECT count(*) FROM sänger</sql>';
const skyrlTurn2 = '<think>Es sind 6.</think>\n<solution>SELECT count(*) FROM sänger</solution>';
const skyrlObs =
	'\n\n<observation> 0\n 6\n<reminder>You have 4 turns left to complete the task.</reminder></observation>\n\n';

describe('SkyRL-SQL', () => {
	test('OpenAI chat: stop strings sent, the server cuts at </sql>, observation as a user message, reward 1', async () => {
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					'<think>Ich zähle die Zeilen ',
					'von sänger.</think>\n<sql>SELECT count(*) ',
					'FROM sänger</sql> and more'
				]
			},
			{
				chunks: ['<think>Es sind 6.</think>\n', '<solution>SELECT count(*) FROM sänger</solution>']
			}
		]);
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'chat' });

		expect(ofType(events, 'action')).toMatchObject([
			{
				turn: 1,
				kind: 'sql',
				code: 'SELECT count(*) FROM sänger',
				raw: '<sql>SELECT count(*) FROM sänger</sql>'
			}
		]);
		expect(ofType(events, 'observation').map((o) => [o.status, o.text])).toEqual([
			['ok', skyrlObs]
		]);
		expect(ofType(events, 'answer')).toMatchObject([
			{ turn: 2, code: 'SELECT count(*) FROM sänger' }
		]);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		// The server matched the stop string and omitted it; the loop restores it in the turn's text.
		expect(modelText(events)).toEqual([skyrlTurn1, skyrlTurn2]);
		expect(ofType(events, 'call-end').map((e) => e.finishReason)).toEqual(['stop', 'stop']);

		expect(server.requests.map((r) => r.path)).toEqual([
			'/v1/chat/completions',
			'/v1/chat/completions'
		]);
		const first = server.requests[0].body;
		expect(first).toMatchObject({
			model: 'test-model',
			stream: true,
			stop: ['</sql>', '</solution>']
		});
		expect(first.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
		expect(first.messages[1].content).toContain(
			'Question:\nWie viele Sängerinnen und Sänger haben wir?'
		);
		expect(first.messages[1].content).toContain('CREATE TABLE');
		expect(sentMessages(server, 1).slice(2)).toEqual([
			{ role: 'assistant', content: skyrlTurn1 },
			{ role: 'user', content: skyrlObs }
		]);
		expectWellFormedTrace(events);
	});

	test('OpenAI /v1/completions: the second prompt is the first + the model text + the exact observation', async () => {
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					'<think>Ich zähle die Zeilen von sänger.</think>\n<sql>SELECT count(*) FROM sänger</sql>'
				]
			},
			{ chunks: [skyrlTurn2] }
		]);
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'completion' });
		expect(server.requests.map((r) => r.path)).toEqual(['/v1/completions', '/v1/completions']);
		const [p1, p2] = server.requests.map((r) => r.body.prompt as string);
		const start = events[0];
		if (start.type !== 'start') throw new Error('no start event');
		expect(p1).toBe(start.header.prompt.completion);
		expect(p1.startsWith('You are a data science expert.')).toBe(true);
		expect(p2).toBe(p1 + skyrlTurn1 + skyrlObs);
		expect(server.requests[1].body.stop).toEqual(['</sql>', '</solution>']);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	});

	test('Anthropic text streaming: stop_sequences, system apart, observation as a user text block', async () => {
		const { server, provider } = await wires.anthropic([
			{
				chunks: [
					'<think>Ich zähle die Zeilen von sänger.</think>\n<sq',
					'l>SELECT count(*) FROM sänger</sql>'
				]
			},
			{ chunks: [skyrlTurn2] }
		]);
		const events = await suite.drive({ provider, preset: skyrl, task, mode: 'chat' });
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual([skyrlObs]);
		expect(ofType(events, 'call-end').map((e) => e.finishReason)).toEqual([
			'stop_sequence',
			'stop_sequence'
		]);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1 }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });

		const [first, second] = server.requests;
		expect(first.path).toBe('/v1/messages');
		expect(first.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
		expect(first.headers['x-api-key']).toBe('sk-ant-test');
		expect(first.body.stop_sequences).toEqual(['</sql>', '</solution>']);
		expect(first.body.system).toMatch(/^You are a data science expert\./);
		expect(second.body.messages.slice(1)).toEqual([
			{ role: 'assistant', content: [{ type: 'text', text: skyrlTurn1 }] },
			{ role: 'user', content: [{ type: 'text', text: skyrlObs }] }
		]);
		expectWellFormedTrace(events);
	});
});

describe('continuation style by provider', () => {
	test('Anthropic without a mode: SkyRL (completion by default) runs as chat; an explicit completion is refused clearly', async () => {
		const { server, provider } = await wires.anthropic([
			{ chunks: [skyrlTurn1] },
			{ chunks: [skyrlTurn2] }
		]);
		const events = await suite.drive({ provider, preset: skyrl, task });
		const start = events[0];
		if (start.type !== 'start') throw new Error('no start event');
		expect(start.header.mode).toBe('chat');
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1 }]);
		expect(server.requests).toHaveLength(2);

		const refused = await suite.drive({ provider, preset: skyrl, task, mode: 'completion' });
		expect(refused.slice(-2)).toMatchObject([
			{
				type: 'error',
				code: 'unsupported',
				message: 'Anthropic models have no raw completion mode.'
			},
			{ type: 'stop', reason: 'error' }
		]);
		expect(server.requests).toHaveLength(2);
	});

	test('OpenAI without a mode: the preset’s default (SkyRL: raw completion)', async () => {
		const { server, provider } = await wires.openAi([{ chunks: [skyrlTurn2] }]);
		await suite.drive({ provider, preset: skyrl, task });
		expect(server.requests[0].path).toBe('/v1/completions');
	});
});

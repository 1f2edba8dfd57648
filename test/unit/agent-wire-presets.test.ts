import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getPreset } from '../../src/core/presets/index.ts';
import type { SqlTask } from '../../src/core/trace/events.ts';
import {
	Wires,
	drive,
	expectWellFormedTrace,
	modelText,
	openConcertSinger,
	sentMessages
} from './helpers/agent-wire.ts';
import { nodeExecutors, type NodeExecutors } from './helpers/node-executors.ts';
import { ofType } from './helpers/run-events.ts';

// Each SQL preset's happy path through the REAL providers (OpenAI chat, completions, tool calls;
// Anthropic text and tool_use) over HTTP to the scripted servers, with real sql.js behind the loop.

let executors: NodeExecutors;
const wires = new Wires();
const task: SqlTask = {
	id: 'concert-count',
	question: 'Wie viele Sängerinnen und Sänger haben wir?',
	db: 'concert_singer',
	gold: 'SELECT count(*) FROM sänger'
};
const skyrl = getPreset('skyrl-sql');

beforeAll(async () => {
	executors = await nodeExecutors();
	openConcertSinger(executors);
});
afterAll(() => wires.closeAll());

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
		const events = await drive({ provider, executors, preset: skyrl, task, mode: 'chat' });

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
		const events = await drive({ provider, executors, preset: skyrl, task, mode: 'completion' });
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
		const events = await drive({ provider, executors, preset: skyrl, task, mode: 'chat' });
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
		const events = await drive({ provider, executors, preset: skyrl, task });
		const start = events[0];
		if (start.type !== 'start') throw new Error('no start event');
		expect(start.header.mode).toBe('chat');
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1 }]);
		expect(server.requests).toHaveLength(2);

		const refused = await drive({ provider, executors, preset: skyrl, task, mode: 'completion' });
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
		await drive({ provider, executors, preset: skyrl, task });
		expect(server.requests[0].path).toBe('/v1/completions');
	});
});

describe('InterCode', () => {
	test('ReAct over OpenAI chat: Thought/Action turns, MySQL SHOW TABLES translated, submit scores 1', async () => {
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					'Thought 1: Welche Tabellen gibt es?\nAction 1: execute[SHOW TABLES]\nObservation 1: erfunden'
				]
			},
			{ chunks: ['Thought 2: Zähle sänger.\nAction 2: execute[SELECT count(*) FROM sänger]'] },
			{ chunks: ['Thought 3: Das ist die Antwort.\nAction 3: submit'] }
		]);
		const events = await drive({
			provider,
			executors,
			preset: getPreset('intercode-react'),
			task,
			mode: 'chat'
		});
		const obs = [
			"Observation 1: [('konzert',), ('stadion',), ('sänger',), ('sänger_im_konzert',)]\n",
			'Observation 2: [(6,)]\n'
		];
		expect(ofType(events, 'action').map((a) => a.code)).toEqual([
			'SHOW TABLES',
			'SELECT count(*) FROM sänger'
		]);
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual(obs);
		expect(ofType(events, 'answer')).toMatchObject([{ turn: 3, raw: 'submit' }]);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		expect(server.requests.map((r) => r.body.stop)).toEqual([
			['\nObservation 1:'],
			['\nObservation 2:'],
			['\nObservation 3:']
		]);
		// The invented observation after the stop string never reached the model's context.
		expect(JSON.stringify(server.requests[2].body)).not.toContain('erfunden');
		expect(sentMessages(server, 1).slice(2)).toEqual([
			{
				role: 'assistant',
				content: 'Thought 1: Welche Tabellen gibt es?\nAction 1: execute[SHOW TABLES]'
			},
			{ role: 'user', content: obs[0] }
		]);
	});

	test('ReAct over /v1/completions: `Thought i:` prefixes and `Observation i:` lines rebuild the transcript', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: [' Zähle sänger.\nAction 1: execute[SELECT count(*) FROM sänger]'] },
			{ chunks: [' Fertig.\nAction 2: submit'] }
		]);
		const events = await drive({
			provider,
			executors,
			preset: getPreset('intercode-react'),
			task,
			mode: 'completion'
		});
		const [p1, p2] = server.requests.map((r) => r.body.prompt as string);
		expect(p1.endsWith('Question: Wie viele Sängerinnen und Sänger haben wir?Thought 1:')).toBe(
			true
		);
		expect(p2).toBe(
			p1 +
				' Zähle sänger.\nAction 1: execute[SELECT count(*) FROM sänger]\nObservation 1: [(6,)]\nThought 2:'
		);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1 }]);
	});

	test('Try Again over OpenAI chat: output and reward after every command, stops at reward 1', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: ['```sql\nSELECT name FROM sänger LIMIT 2\n```'] },
			{ chunks: ['```sql\nSELECT count(*) ', 'FROM sänger\n```'] }
		]);
		const events = await drive({
			provider,
			executors,
			preset: getPreset('intercode-try-again'),
			task
		});
		const tail = `Here is the query again: "${task.question}"\nTry something different to generate SQL command to get a reward of 1.\nDo not generate any output or reward.\n`;
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual([
			`MySQL Database Output: [('Joe Sharp',), ('Timbaland',)]\nReward: 0.0\n${tail}`,
			`MySQL Database Output: [(6,)]\nReward: 1.0\n${tail}`
		]);
		expect(ofType(events, 'reward').map((r) => [r.value, r.final])).toEqual([
			[0, false],
			[1, true]
		]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'solved' });
		expect(server.requests[0].body.stop).toBeUndefined();
		expect(sentMessages(server, 1).at(-1)).toEqual({
			role: 'user',
			content: ofType(events, 'observation')[0].text
		});
	});
});

describe('fenced and tools (SQL)', () => {
	test('fenced over OpenAI chat: a ```sql block runs when it closes, a reply without one answers', async () => {
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					'Ich zähle.\n```sql\nSELECT count(*) AS n FROM sänger\n```',
					'\nDas Ergebnis kommt gleich.'
				]
			},
			{ chunks: ['Es sind 6 Sänger.'] }
		]);
		const events = await drive({ provider, executors, preset: getPreset('fenced'), task });
		expect(ofType(events, 'action')).toMatchObject([
			{ kind: 'sql', code: 'SELECT count(*) AS n FROM sänger' }
		]);
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual(['Output:\n```\n n\n 6\n```']);
		expect(ofType(events, 'answer')).toMatchObject([
			{ turn: 2, code: 'SELECT count(*) AS n FROM sänger' }
		]);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		expect(sentMessages(server, 1).slice(2)).toEqual([
			{ role: 'assistant', content: 'Ich zähle.\n```sql\nSELECT count(*) AS n FROM sänger\n```' },
			{ role: 'user', content: 'Output:\n```\n n\n 6\n```' }
		]);
	});

	test('tools over OpenAI tool calls: run_sql result goes back as a `tool` message answering the call', async () => {
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					'Ich frage die Datenbank.',
					{
						toolCall: {
							id: 'call_q1',
							name: 'run_sql',
							arguments: '{"query": "SELECT count(*) AS n FROM sänger"}'
						},
						parts: 4
					}
				]
			},
			{
				chunks: [
					{
						toolCall: {
							id: 'call_s1',
							name: 'submit',
							arguments: '{"answer": "SELECT count(*) FROM sänger"}'
						}
					}
				]
			}
		]);
		const events = await drive({ provider, executors, preset: getPreset('tools'), task });
		expect(ofType(events, 'action')).toMatchObject([
			{ kind: 'sql', code: 'SELECT count(*) AS n FROM sänger', toolCallId: 'call_q1' }
		]);
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual([' n\n 6']);
		expect(ofType(events, 'answer')).toMatchObject([
			{ code: 'SELECT count(*) FROM sänger', toolCallId: 'call_s1' }
		]);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });

		const first = server.requests[0].body;
		expect(
			first.tools.map((t: { type: string; function: { name: string } }) => [
				t.type,
				t.function.name
			])
		).toEqual([
			['function', 'run_sql'],
			['function', 'submit']
		]);
		expect(first.tools[0].function.parameters).toMatchObject({ required: ['query'] });
		expect(sentMessages(server, 1).slice(2)).toEqual([
			{
				role: 'assistant',
				content: 'Ich frage die Datenbank.',
				tool_calls: [
					{
						id: 'call_q1',
						type: 'function',
						function: {
							name: 'run_sql',
							arguments: '{"query": "SELECT count(*) AS n FROM sänger"}'
						}
					}
				]
			},
			{ role: 'tool', tool_call_id: 'call_q1', content: ' n\n 6' }
		]);
		expectWellFormedTrace(events);
	});

	test('tools over Anthropic tool_use: the result goes back as a tool_result block in the next user turn', async () => {
		const { server, provider } = await wires.anthropic([
			{
				chunks: [
					'Ich frage die Datenbank.',
					{
						toolCall: {
							id: 'toolu_q1',
							name: 'run_sql',
							arguments: '{"query":"SELECT count(*) AS n FROM sänger"}'
						}
					}
				]
			},
			{
				chunks: [
					{
						toolCall: {
							id: 'toolu_s1',
							name: 'submit',
							arguments: '{"answer":"SELECT count(*) FROM sänger"}'
						}
					}
				]
			}
		]);
		const events = await drive({ provider, executors, preset: getPreset('tools'), task });
		expect(ofType(events, 'call-end').map((e) => e.finishReason)).toEqual(['tool_use', 'tool_use']);
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual([' n\n 6']);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1 }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });

		const [first, second] = server.requests;
		expect(first.body.tools.map((t: { name: string }) => t.name)).toEqual(['run_sql', 'submit']);
		expect(first.body.tools[0].input_schema).toMatchObject({ type: 'object', required: ['query'] });
		expect(first.body.system).toContain('call submit');
		expect(second.body.messages.slice(1)).toEqual([
			{
				role: 'assistant',
				content: [
					{ type: 'text', text: 'Ich frage die Datenbank.' },
					{
						type: 'tool_use',
						id: 'toolu_q1',
						name: 'run_sql',
						input: { query: 'SELECT count(*) AS n FROM sänger' }
					}
				]
			},
			{
				role: 'user',
				content: [{ type: 'tool_result', tool_use_id: 'toolu_q1', content: ' n\n 6' }]
			}
		]);
	});
});

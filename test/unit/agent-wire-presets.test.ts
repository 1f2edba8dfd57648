import { describe, expect, test } from 'vitest';
import { getPreset } from '../../src/core/presets/index.ts';
import { wireTask, expectWellFormedTrace, sentMessages, wireSuite } from './helpers/agent-wire.ts';
import { ofType } from './helpers/run-events.ts';

// The InterCode, fenced and tools presets' happy paths (SQL) through the REAL providers (OpenAI chat,
// completions, tool calls; Anthropic tool_use) over HTTP to the scripted servers, with real sql.js.
// SkyRL-SQL is in agent-wire-skyrl.test.ts, the Python presets in agent-wire-python.test.ts.

const suite = wireSuite();
const { wires } = suite;
const task = wireTask;

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
		const events = await suite.drive({
			provider,
			preset: getPreset('intercode-react'),
			task,
			mode: 'chat'
		});
		const obs = [
			"Observation 1: [('anwesenheit',), ('probe',), ('sänger',)]\n",
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
		const events = await suite.drive({
			provider,
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
		const events = await suite.drive({
			provider,
			preset: getPreset('intercode-try-again'),
			task
		});
		const tail = `Here is the query again: "${task.question}"\nTry something different to generate SQL command to get a reward of 1.\nDo not generate any output or reward.\n`;
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual([
			`MySQL Database Output: [('Jürgen Weiß',), ('Ülkü Öztürk',)]\nReward: 0.0\n${tail}`,
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
		const events = await suite.drive({ provider, preset: getPreset('fenced'), task });
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
		const events = await suite.drive({ provider, preset: getPreset('tools'), task });
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
		const events = await suite.drive({ provider, preset: getPreset('tools'), task });
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

import { beforeAll, describe, expect, test } from 'vitest';
import { runAgent } from '../../src/core/agent/loop.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import type { SqlTask } from '../../src/core/trace/events.ts';
import { choirBytes, choirTask } from '../fixtures/choir-db.ts';
import { describeRealData, spiderDb } from '../shared-data.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { ScriptedProvider } from './helpers/recorded-provider.ts';
import { collect, comparable, ofType } from './helpers/run-events.ts';

let runtime: NodeRuntime;
// Our choir database: German, non-ASCII names, six singers (test/fixtures/choir-db.ts).
const task: SqlTask = choirTask;
const skyrl = getPreset('skyrl-sql');

beforeAll(async () => {
	runtime = await nodeRuntime();
	runtime.sqlEngine.open(task.db, await choirBytes());
});

const happy = [
	'<think>I should count the rows of sänger.</think>\n<sql>SELECT count(*) FROM sänger</sql>',
	'<think>There are 6 singers.</think>\n<solution>SELECT count(*) FROM sänger</solution>'
];

describe('SkyRL-SQL through the loop, real sql.js', () => {
	test('happy path: SkyRL observation text, reward 1, raw completion continues the same text', async () => {
		const provider = new ScriptedProvider(happy);
		const events = await collect({ provider, runtime, preset: skyrl, task, mode: 'completion' });
		const [obs] = ofType(events, 'observation');
		expect(obs.text).toBe(
			'\n\n<observation> 0\n 6\n<reminder>You have 4 turns left to complete the task.</reminder></observation>\n\n'
		);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		expect(provider.requests[0].stop).toEqual(['</sql>', '</solution>']);
		const start = events[0];
		if (start.type !== 'start') throw new Error('no start');
		expect(provider.requests[0].prompt).toBe(start.header.prompt.completion);
		expect(provider.requests[1].prompt).toBe(start.header.prompt.completion + happy[0] + obs.text);
	});

	test('chat mode sends the observation as a user message', async () => {
		const provider = new ScriptedProvider(happy);
		await collect({ provider, runtime, preset: skyrl, task, mode: 'chat' });
		const messages = provider.requests[1].messages!;
		expect(messages.at(-2)).toEqual({ role: 'assistant', content: happy[0] });
		expect(messages.at(-1)!.role).toBe('user');
		expect(messages.at(-1)!.content).toContain('<observation> 0\n 6\n');
	});

	test('same events for chunks of 1, 3 and 64 characters', async () => {
		const runs = await Promise.all(
			[1, 3, 64].map(async (chunk) =>
				comparable(
					await collect({
						provider: new ScriptedProvider(happy, { chunk }),
						runtime,
						preset: skyrl,
						task
					})
				)
			)
		);
		expect(runs[1]).toEqual(runs[0]);
		expect(runs[2]).toEqual(runs[0]);
	});

	test('a server that ignores stop strings is cut at </sql>; its invented observation never counts', async () => {
		const replies = [happy[0] + '\n\n<observation>999</observation><think>fake</think>', happy[1]];
		const provider = new ScriptedProvider(replies, { honourStops: false, chunk: 5 });
		const events = await collect({ provider, runtime, preset: skyrl, task });
		expect(ofType(events, 'call-end')[0]).toMatchObject({ cut: true });
		expect(provider.delivered[0]).toBeLessThan(Math.ceil(replies[0].length / 5));
		expect(
			ofType(events, 'text')
				.map((e) => e.text)
				.join('')
		).not.toContain('999');
		expect(ofType(events, 'reward')[0].value).toBe(1);
	});

	test('an action after the answer is flagged, not run', async () => {
		const provider = new ScriptedProvider(
			[
				'<think>t</think><solution>SELECT count(*) FROM sänger</solution><sql>DELETE FROM sänger</sql>'
			],
			{ honourStops: false, chunk: 200 }
		);
		const events = await collect({ provider, runtime, preset: skyrl, task });
		expect(ofType(events, 'action')).toHaveLength(0);
		expect(ofType(events, 'answer')[0].trailing).toBe('<sql>DELETE FROM sänger</sql>');
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	});

	test('a tag never closed gets the invalid-action observation', async () => {
		const provider = new ScriptedProvider([
			{ text: '<think>hm</think><sql>SELECT name FROM', finishReason: 'length' },
			happy[1]
		]);
		const events = await collect({ provider, runtime, preset: skyrl, task });
		expect(ofType(events, 'observation')[0]).toMatchObject({
			status: 'invalid',
			text: '\n\n<observation>Your previous action is invalid. Follow the format of outputting thinking process and sql tool, and try again.\n<reminder>You have 4 turns left to complete the task.</reminder></observation>\n\n'
		});
	});

	test('SQL errors and max turns: error text, 5th action not run, reward −1', async () => {
		const bad = '<think>x</think><sql>SELECT nope FROM sänger</sql>';
		const provider = new ScriptedProvider(Array(5).fill(bad));
		const events = await collect({ provider, runtime, preset: skyrl, task });
		const obs = ofType(events, 'observation');
		expect(obs).toHaveLength(4);
		expect(obs[0].text).toBe(
			'\n\n<observation>Error executing SQL: no such column: nope, db file: /home/ray/default/sql_data/spider/database/chor/chor.sqlite\n<reminder>You have 4 turns left to complete the task.</reminder></observation>\n\n'
		);
		expect(obs[3].text).toContain('You have 1 turns left');
		expect(ofType(events, 'reward')).toMatchObject([{ value: -1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'max-turns' });
	});

	test('a provider failure becomes an error event, never a rejection', async () => {
		const provider = new ScriptedProvider([
			{ text: '<think>par', failWith: new Error('stream dropped') }
		]);
		const events = await collect({ provider, runtime, preset: skyrl, task });
		expect(events.slice(-2)).toMatchObject([
			{ type: 'error', message: 'stream dropped', fatal: true },
			{ type: 'stop', reason: 'error' }
		]);
	});

	test('Stop reaches the model request mid-stream', async () => {
		const controller = new AbortController();
		const provider = new ScriptedProvider([happy[0]], { chunk: 2, delayMs: 5 });
		setTimeout(() => controller.abort(), 40);
		const events = await collect({
			provider,
			runtime,
			preset: skyrl,
			task,
			signal: controller.signal
		});
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'user' });
		expect(provider.delivered[0]).toBeLessThan(Math.ceil(happy[0].length / 2));
	});

	// How long a step takes is the bench's agent.stepOverheadMedian (and its Node figure).
	test('60 actions in a row: each parsed, run and observed before the next model call', async () => {
		const n = 60;
		const provider = new ScriptedProvider(Array(n).fill('<think>k</think><sql>SELECT 1</sql>'), {
			chunk: 16
		});
		const events = await collect({
			provider,
			runtime,
			preset: skyrl,
			task,
			budgets: { maxTurns: n + 1 }
		});
		expect(ofType(events, 'action').map((a) => a.code)).toEqual(Array(n).fill('SELECT 1'));
		const obs = ofType(events, 'observation');
		expect(obs).toHaveLength(n);
		for (const o of obs) expect(o.text).toMatch(/^\n\n<observation> 0\n 1\n<reminder>/);
		// Per turn: call, call-end, action, observation, in that order, then the next call.
		const order = events
			.filter((e) => ['call', 'call-end', 'action', 'observation'].includes(e.type))
			.map((e) => e.type)
			.slice(0, 4 * n);
		expect(order).toEqual(
			Array.from({ length: n }, () => ['call', 'call-end', 'action', 'observation']).flat()
		);
	});
});

describeRealData('SkyRL-SQL through the loop on Spider concert_singer', () => {
	const spiderTask: SqlTask = { ...task, id: 'spider-concert-0', db: 'concert_singer' };
	beforeAll(() => runtime.openDb('concert_singer', spiderDb('concert_singer')));

	test('happy path: SkyRL observation text and reward 1 on the real database', async () => {
		const provider = new ScriptedProvider(happy);
		const events = await collect({
			provider,
			runtime,
			preset: skyrl,
			task: spiderTask,
			mode: 'completion'
		});
		expect(ofType(events, 'observation')[0].text).toBe(
			'\n\n<observation> 0\n 6\n<reminder>You have 4 turns left to complete the task.</reminder></observation>\n\n'
		);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
	});

	test('an SQL error names the real database file', async () => {
		const bad = '<think>x</think><sql>SELECT nope FROM sänger</sql>';
		const provider = new ScriptedProvider([bad, happy[1]]);
		const events = await collect({ provider, runtime, preset: skyrl, task: spiderTask });
		expect(ofType(events, 'observation')[0].text).toBe(
			'\n\n<observation>Error executing SQL: no such column: nope, db file: /home/ray/default/sql_data/spider/database/concert_singer/concert_singer.sqlite\n<reminder>You have 4 turns left to complete the task.</reminder></observation>\n\n'
		);
	});
});

describe('InterCode presets through the loop, real sql.js', () => {
	test('ReAct: SHOW TABLES translated, observations as Python reprs, submit scores IoU × τ', async () => {
		const provider = new ScriptedProvider([
			' I should list the tables.\nAction 1: execute[SHOW TABLES]\nObservation 1: made up',
			' Count the singers.\nAction 2: execute[SELECT count(*) FROM sänger]',
			' That is the answer.\nAction 3: submit'
		]);
		const events = await collect({
			provider,
			runtime,
			preset: getPreset('intercode-react'),
			task,
			mode: 'completion'
		});
		const obs = ofType(events, 'observation').map((o) => o.text);
		expect(obs).toEqual([
			"Observation 1: [('anwesenheit',), ('probe',), ('sänger',)]\n",
			'Observation 2: [(6,)]\n'
		]);
		expect(provider.requests[0].stop).toEqual(['\nObservation 1:']);
		expect(
			provider.requests[1].prompt!.endsWith(`Action 1: execute[SHOW TABLES]\n${obs[0]}Thought 2:`)
		).toBe(true);
		expect(ofType(events, 'reward')[0]).toMatchObject({ value: 1 });
	});

	test('ReAct submits by force after max turns', async () => {
		const provider = new ScriptedProvider([' x\nAction 1: execute[SELECT name FROM sänger]']);
		const events = await collect({
			provider,
			runtime,
			preset: getPreset('intercode-react'),
			task,
			budgets: { maxTurns: 1 }
		});
		expect(ofType(events, 'answer')[0]).toMatchObject({ forced: true });
		expect(ofType(events, 'reward')[0].value).toBe(0);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'max-turns' });
	});

	test('Try Again shows output and reward after every action and stops at reward 1', async () => {
		const provider = new ScriptedProvider([
			'```sql\nSELECT name FROM sänger LIMIT 2\n```',
			'```sql\nSELECT count(*) FROM sänger\n```'
		]);
		const events = await collect({
			provider,
			runtime,
			preset: getPreset('intercode-try-again'),
			task
		});
		const obs = ofType(events, 'observation');
		expect(obs[1].text).toBe(
			'MySQL Database Output: [(6,)]\nReward: 1.0\nHere is the query again: "Wie viele Sängerinnen und Sänger haben wir?"\nTry something different to generate SQL command to get a reward of 1.\nDo not generate any output or reward.\n'
		);
		expect(obs[0].text).toContain('Reward: 0.0\n');
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'solved' });
	});
});

describe('every event of a run is valid against the trace schema', () => {
	test('runAgent output parses', async () => {
		const { agentEventSchema } = await import('../../src/core/trace/events.ts');
		for await (const e of runAgent({
			provider: new ScriptedProvider(happy),
			runtime,
			preset: skyrl,
			task
		})) {
			expect(agentEventSchema.safeParse(e).success).toBe(true);
		}
	});
});

import { describe, expect, test } from 'vitest';
import { getPreset } from '../../src/core/presets/index.ts';
import { tryAgainRetryText } from '../../src/core/presets/intercode-try-again.ts';
import { skyrlInvalidText, skyrlObservationText } from '../../src/core/presets/skyrl-sql.ts';
import {
	wireTask,
	expectWellFormedTrace,
	modelText,
	sentMessages,
	wireSuite
} from './helpers/agent-wire.ts';
import { ofType } from './helpers/run-events.ts';

// Protocol edge cases over the wire: a model that never closes its tag (each preset's invalid-action
// observation, then its own rule to go on or end) and a model that writes an action after its answer.

const suite = wireSuite();
const { wires } = suite;
const task = wireTask;
const solution = '<think>6.</think>\n<solution>SELECT count(*) FROM sänger</solution>';

describe('a model that never closes its tag', () => {
	test('SkyRL (OpenAI, cut by max_tokens): the invalid-action observation, then the run goes on', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: ['<think>hm</think>\n<sql>SELECT name FROM sänger WHERE'], finishReason: 'length' },
			{ chunks: [solution] }
		]);
		const events = await suite.drive({
			provider,
			preset: getPreset('skyrl-sql'),
			task,
			mode: 'completion'
		});
		const invalid = skyrlObservationText(skyrlInvalidText, 4);
		expect(invalid).toBe(
			'\n\n<observation>Your previous action is invalid. Follow the format of outputting thinking process and sql tool, and try again.\n<reminder>You have 4 turns left to complete the task.</reminder></observation>\n\n'
		);
		expect(ofType(events, 'action')).toHaveLength(0);
		expect(ofType(events, 'observation').map((o) => [o.status, o.text])).toEqual([
			['invalid', invalid]
		]);
		expect(ofType(events, 'call-end')[0]).toMatchObject({ finishReason: 'length', cut: false });
		expect(server.requests[1].body.prompt).toBe(
			server.requests[0].body.prompt +
				'<think>hm</think>\n<sql>SELECT name FROM sänger WHERE' +
				invalid
		);
		// Every </observation> is followed by <think>, one <solution>: the format holds, reward 1.
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expectWellFormedTrace(events);
	});

	test('SkyRL (Anthropic end_turn, not a stop sequence): invalid, not executed', async () => {
		const { provider } = await wires.anthropic([
			{ chunks: ['<think>hm</think>\n<sql>SELECT name FROM sänger'] },
			{ chunks: [solution] }
		]);
		const events = await suite.drive({
			provider,
			preset: getPreset('skyrl-sql'),
			task,
			mode: 'chat'
		});
		expect(ofType(events, 'call-end')[0].finishReason).toBe('end_turn');
		expect(ofType(events, 'action')).toHaveLength(0);
		expect(ofType(events, 'observation')[0].status).toBe('invalid');
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	});

	test('LeTI-style: the preset’s invalid message each turn, then the turn limit (reward 0)', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: ['<python>\nprint(1)'], finishReason: 'length' },
			{ chunks: ['Ich denke noch nach, <python>\nx ='], finishReason: 'length' }
		]);
		const events = await suite.drive({
			provider,
			preset: getPreset('python-feedback'),
			task: { description: 'Return 1.', tests: ['assert one() == 1'] },
			budgets: { maxTurns: 2 }
		});
		const invalid =
			'\n<output>\nNo complete <python>...</python> or <answer>...</answer> block was found. Write code to run inside <python>...</python>, or your final solution inside <answer>...</answer>.\n</output>\n';
		expect(ofType(events, 'observation').map((o) => [o.status, o.text])).toEqual([
			['invalid', invalid],
			['invalid', invalid]
		]);
		expect(sentMessages(server, 1).at(-1)).toEqual({ role: 'user', content: invalid });
		expect(ofType(events, 'reward')).toMatchObject([{ value: 0, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'max-turns' });
	});

	test('fenced: “close your block”, then a reply without a block ends the run (nothing ran: no reward)', async () => {
		const { provider } = await wires.openAi([
			{ chunks: ['```sql\nSELECT count(*) FROM sänger'] },
			{ chunks: ['Dann eben nicht.'] }
		]);
		const events = await suite.drive({ provider, preset: getPreset('fenced'), task });
		expect(ofType(events, 'observation').map((o) => [o.status, o.text])).toEqual([
			['invalid', 'Your code block was not closed with ```. Close it so it can run.']
		]);
		expect(ofType(events, 'answer')).toMatchObject([{ code: '' }]);
		expect(ofType(events, 'reward')).toHaveLength(0);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	});

	test('InterCode ReAct: `execute[` never closed is not code; the next submit scores the empty result', async () => {
		const { provider } = await wires.openAi([
			{ chunks: ['Thought 1: Zählen.\nAction 1: execute[SELECT count(*) FROM sänger'] },
			{ chunks: ['Thought 2: Gebe auf.\nAction 2: submit'] }
		]);
		const events = await suite.drive({
			provider,
			preset: getPreset('intercode-react'),
			task,
			mode: 'chat'
		});
		expect(ofType(events, 'observation').map((o) => [o.status, o.text])).toEqual([
			[
				'invalid',
				'Observation 1: Error executing query: Your last `execute` action did not contain sql code\n'
			]
		]);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 0, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	});

	test('InterCode Try Again: an unclosed ```sql block gets TemplateV2’s retry message, the next try solves it', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: ['```sql\nSELECT count(*) FROM sänger'] },
			{ chunks: ['```sql\nSELECT count(*) FROM sänger\n```'] }
		]);
		const events = await suite.drive({
			provider,
			preset: getPreset('intercode-try-again'),
			task
		});
		expect(ofType(events, 'observation')[0]).toMatchObject({
			status: 'invalid',
			text: tryAgainRetryText
		});
		expect(sentMessages(server, 1).at(-1)).toEqual({ role: 'user', content: tryAgainRetryText });
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'solved' });
	});

	test('tools: a tool that was not offered and a malformed submit are refused, not run', async () => {
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					{ toolCall: { id: 'call_py', name: 'run_python', arguments: '{"code": "import os"}' } },
					{ toolCall: { id: 'call_sub', name: 'submit', arguments: '{"antwort": "SELECT 6"}' } }
				]
			},
			{ chunks: ['Ich gebe auf.'] }
		]);
		const events = await suite.drive({ provider, preset: getPreset('tools'), task });
		const texts = [
			'Error: there is no tool "run_python" here; the tools are run_sql, submit.',
			'Error: submit needs JSON arguments with a string "answer"; it got: {"antwort": "SELECT 6"}'
		];
		expect(ofType(events, 'observation').map((o) => [o.status, o.text])).toEqual(
			texts.map((t) => ['invalid', t])
		);
		expect(ofType(events, 'action')).toMatchObject([
			{ kind: 'sql', code: '', toolCallId: 'call_py' },
			{ kind: 'sql', code: '', toolCallId: 'call_sub' }
		]);
		expect(sentMessages(server, 1).slice(-2)).toEqual([
			{ role: 'tool', tool_call_id: 'call_py', content: texts[0] },
			{ role: 'tool', tool_call_id: 'call_sub', content: texts[1] }
		]);
		// A reply without tool calls ends the run; nothing ran, so there is nothing to score.
		expect(ofType(events, 'answer')).toMatchObject([{ code: '' }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	});

	test('tools: a call whose JSON arguments never close is not run as empty code', async () => {
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					{ toolCall: { id: 'call_bad', name: 'run_sql', arguments: '{"query": "SELECT count(*' } }
				]
			},
			{
				chunks: [
					{
						toolCall: {
							id: 'call_ok',
							name: 'submit',
							arguments: '{"answer": "SELECT count(*) FROM sänger"}'
						}
					}
				]
			}
		]);
		const events = await suite.drive({ provider, preset: getPreset('tools'), task });
		const [obs] = ofType(events, 'observation');
		expect(obs.status).toBe('invalid');
		expect(obs.text).toBe(
			'Error: run_sql needs JSON arguments with a string "query"; it got: {"query": "SELECT count(*'
		);
		expect(sentMessages(server, 1).at(-1)).toEqual({
			role: 'tool',
			tool_call_id: 'call_bad',
			content: obs.text
		});
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1 }]);
	});
});

describe('an action after the answer', () => {
	const answerThenAction =
		'<think>t</think>\n<solution>SELECT count(*) FROM sänger</solution><sql>DELETE FROM sänger</sql>';

	test('server ignores stops: cut at </solution>, the <sql> flagged as trailing, never run', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: [answerThenAction], honorStop: false }
		]);
		const events = await suite.drive({
			provider,
			preset: getPreset('skyrl-sql'),
			task,
			mode: 'completion'
		});
		expect(ofType(events, 'action')).toHaveLength(0);
		expect(ofType(events, 'answer')).toMatchObject([
			{ code: 'SELECT count(*) FROM sänger', trailing: '<sql>DELETE FROM sänger</sql>' }
		]);
		expect(modelText(events)).toEqual([
			'<think>t</think>\n<solution>SELECT count(*) FROM sänger</solution>'
		]);
		// SkyRL stops generation at </solution> and its env asserts nothing follows (envs/sql/env.py);
		// the episode text the reward reads therefore ends there, so the format holds.
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		expect(server.requests).toHaveLength(1);
		const count = await suite.runtime.sql.exec('SELECT count(*) FROM sänger', {
			db: 'chor'
		});
		expect(count.rows).toEqual([[6]]);
	});

	test('server honours stops: it never sends the action; same answer and reward, nothing trailing', async () => {
		const { provider } = await wires.openAi([{ chunks: [answerThenAction] }]);
		const events = await suite.drive({ provider, preset: getPreset('skyrl-sql'), task });
		expect(ofType(events, 'action')).toHaveLength(0);
		expect(ofType(events, 'answer')[0].trailing).toBeUndefined();
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1 }]);
	});

	test('a second <solution> in a later turn cannot happen: the run ends at the first answer', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: [solution] },
			{ chunks: ['<sql>SELECT 1</sql>'] }
		]);
		const events = await suite.drive({ provider, preset: getPreset('skyrl-sql'), task });
		expect(server.requests).toHaveLength(1);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	});
});

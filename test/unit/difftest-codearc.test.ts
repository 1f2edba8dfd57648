import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { codearcTasks } from '../../src/data/difftest/index.ts';
import {
	checkImplementation,
	cleanCode,
	codearcPrompts,
	counterexampleText,
	replyAction,
	replyCode,
	runInvocations
} from '../../src/core/difftest/codearc.ts';
import { CodearcEpisode } from '../../src/core/difftest/codearc-episode.ts';
import { playSpec } from '../../src/core/difftest/hidden-store.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import { agentRunSchema } from '../../src/embed/agent-contract.ts';
import { exportTrace, traceFromEvents } from '../../src/core/trace/trace.ts';
import type { PythonTask } from '../../src/core/trace/events.ts';
import { expectWellFormedTrace, modelText, sentMessages, wireSuite } from './helpers/agent-wire.ts';
import { ofType } from './helpers/run-events.ts';

// CodeARC episodes (issue 12 §4) against a scripted OpenAI server, with the real Pyodide. Expected
// texts come from Anjiang-Wei/CodeARC@092edeeff38d019a130c8fbfdb055d39cba75bc8: prompts.yaml
// (reasoning_guided), src/invocators.py (ReasoningGuidedInvocator.__call__ and diff_tester),
// src/utils.py (clean_code, process_model_invocations); the sha256 values below were computed by
// running those files' replace chains with /usr/bin/python3 on prompts.yaml (script kept out of the repo).

const suite = wireSuite({ python: true });
const { wires } = suite;
const altSum = codearcTasks.find((t) => t.id === 'codearc-alternating-sum')!;
const hidden = altSum.task.codearc!.hidden!;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const invocationsReply = `I will probe negative numbers and longer lists.
INVOCATIONS:
\`\`\`python
print('Result 11: ' + str(alternating_sum([1, 2, 3, 4])))
print('Result 12: ' + str(alternating_sum([-1, -1])))
print('Result 13: ' + str(alternating_sum('ab')))
\`\`\``;
const wrongImpl = `It looks like a plain sum of the even positions.
IMPLEMENTATION:
\`\`\`python
def alternating_sum(xs):
    return sum(xs[::2])
\`\`\``;
const rightImpl = `The odd positions are subtracted.
IMPLEMENTATION:
\`\`\`python
def alternating_sum(xs):
    return sum(xs[::2]) - sum(xs[1::2])
\`\`\``;

describe('CodeARC reply parsing and texts (src/utils.py, src/invocators.py)', () => {
	test('clean_code, the rfind slice and process_model_invocations', () => {
		expect(cleanCode('```python\nx = 1\n```')).toBe('x = 1');
		expect(replyCode('a ```python\ndef f():\n  pass\n``` b')).toBe('def f():\n  pass');
		// No fence at all: Python's s[-1:-1] is empty.
		expect(replyCode('IMPLEMENTATION: def f(): pass')).toBe('');
		expect(replyAction(invocationsReply, 20)).toEqual({
			type: 'invocations',
			invocations: [
				"print('Result 11: ' + str(alternating_sum([1, 2, 3, 4])))",
				"print('Result 12: ' + str(alternating_sum([-1, -1])))",
				"print('Result 13: ' + str(alternating_sum('ab')))"
			]
		});
		// IMPLEMENTATION wins when both words appear; INVOCATIONS needs invocations left.
		expect(replyAction('INVOCATIONS or IMPLEMENTATION?', 5)?.type).toBe('implementation');
		expect(replyAction(invocationsReply, 0)).toBeNull();
		expect(counterexampleText('[1, 2]', '-1 != 1')).toBe(
			'Failed input: [1, 2]\nGround Truth != Output From Generated Code: -1 != 1'
		);
	});

	test('prompt texts are prompts.yaml with the replace chains of invocators.py', () => {
		const ep = new CodearcEpisode('f', ["print('Result 1: ' + str(f(1)))"]);
		const base = CodearcEpisode.baseTemplate();
		expect(base).toContain('implementing a blackbox Python function `{function_name}`');
		expect(sha(codearcPrompts.base)).toBe(
			'a0fa4c48fb52763709d89e6913b1b1eafb0bfbcc49e03945c517e19a9fe62bea'
		);
		// After 3 invocations (26 left, 1 check): generated_invocations_previous_iteration.
		const afterInv = ep.afterInvocations(
			['a', 'b', 'c'],
			['Result 2: 1', 'Result 3: 2', 'Result 4: 3']
		);
		expect(sha(afterInv)).toBe('469d99eefdc24dc50bd743ce3a653f0460a4b37157f24db255dda34670b6d546');
		// A failed check (26 left, 0 checks): generated_draft_implementation_previous_iteration_no_debugging.
		const afterFail = ep.afterFailedCheck(counterexampleText('[1, 2]', '-1 != 1'));
		expect(sha(afterFail)).toBe('eab144518394692d6ee92dea320c257bb245533b590d4a1fb2341a19cbbfb64a');
		expect(ep.final).toBe(false);
	});
});

test('the embed agent-run takes both presets and their tasks, hidden function and all', () => {
	const request = (preset: string, task: unknown) => ({
		execlab: 1,
		id: 'r1',
		type: 'agent-run',
		provider: { kind: 'openai', baseUrl: 'http://localhost:1/v1', model: 'm' },
		preset,
		task
	});
	const parsed = agentRunSchema.parse(request('codearc', altSum.task));
	expect(parsed.task).toEqual(altSum.task);
	const mokav = {
		description: 'd',
		tests: [],
		mokav: { original: 'def f(x): return 1', patched: 'def f(x): return 2', example: '1' }
	};
	expect(agentRunSchema.parse(request('mokav', mokav)).task).toEqual(mokav);
	expect(() =>
		agentRunSchema.parse(
			request('codearc', {
				description: 'd',
				tests: [],
				codearc: { functionName: '1x', invocations: ['x'] }
			})
		)
	).toThrow(/Python identifier/);
});

describe('CodeARC oracle on the real Pyodide', () => {
	test('invocations run with the hidden function; errors show their last line only', async () => {
		const outputs = await runInvocations(suite.runtime, hidden, [
			"print('Result 1: ' + str(alternating_sum([1, 2, 3])))",
			"print('Result 2: ' + str(alternating_sum(5)))",
			"print('Result 3: ' + str(__import__('inspect').getsource(alternating_sum)))"
		]);
		expect(outputs).toEqual([
			{ output: 'Result 1: 2', errored: false },
			{ output: "TypeError: 'int' object is not iterable", errored: true },
			{
				output:
					"Invocation refused: it uses the name '__import__', which would inspect the hidden function.",
				errored: true
			}
		]);
	});

	test('the first differing input and the assertion values; errors count as a difference', async () => {
		const inputs = altSum.task.codearc!.invocations;
		const wrong = await checkImplementation(suite.runtime, {
			hidden,
			functionName: 'alternating_sum',
			program: 'def alternating_sum(xs):\n    return sum(xs[::2])',
			inputs
		});
		// Given invocation 1 is alternating_sum([1, 2, 3]): 2 expected, 4 got (unittest's "2 != 4").
		expect(wrong).toMatchObject({
			isCorrect: false,
			failedInputs: 'Failed input: [1, 2, 3]\nGround Truth != Output From Generated Code: 2 != 4',
			checked: 1
		});
		const raising = await checkImplementation(suite.runtime, {
			hidden,
			functionName: 'alternating_sum',
			program: 'def alternating_sum(xs):\n    return xs[0] - xs[1]',
			inputs: ['[4, 1]', '[5]']
		});
		expect(raising.failedInputs).toBe(
			"Failed input: [5]\nGround Truth != Output From Generated Code: 'No Error' != 'Error'"
		);
		const empty = await checkImplementation(suite.runtime, {
			hidden,
			functionName: 'alternating_sum',
			program: '',
			inputs
		});
		expect(empty.failedInputs).toBe('ALL INPUTS');
	});
});

describe('CodeARC episodes over OpenAI chat', () => {
	test('a wrong implementation gets the counterexample, the fix succeeds; the hidden source never leaves', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: [invocationsReply.slice(0, 40), invocationsReply.slice(40)] },
			{ chunks: [wrongImpl] },
			{ chunks: [rightImpl] }
		]);
		const events = await suite.drive({ provider, preset: getPreset('codearc'), task: altSum.task });
		expect(modelText(events)).toEqual([invocationsReply, wrongImpl, rightImpl]);
		const first = server.requests[0].body.messages;
		expect(first).toHaveLength(1);
		expect(first[0].content).toContain(
			"Function invocations:\nprint('Result 1: ' + str(alternating_sum([1, 2, 3])))\n"
		);
		expect(first[0].content).toContain('Corresponding outputs:\nResult 1: 2\nResult 2: 5\n');
		expect(first[0].content).toContain('You can generate up to 20 function invocations');
		// invocators.py's first prompt for this task (prompts.yaml base, its replace chain, the outputs
		// local_executor gives with CPython 3.11), hashed.
		expect(sha(first[0].content)).toBe(
			'621ccc023d0f49b1af74f5bc176f7d18bd641e0f30425f8fc7db293167f653bc'
		);
		const [obs1, obs2] = ofType(events, 'observation');
		expect(obs1.text).toMatch(
			/^Here are the outputs of the function invocations from the previous iteration:\nResult 11: -2\nResult 12: 0\nTypeError: unsupported operand type\(s\) for \+=: 'int' and 'str'\n/
		);
		expect(obs1.text).toContain('You have 17 function invocations left');
		expect(obs2.text).toMatch(
			/^The implementation you generated in the previous iteration failed for the following input \(and potentially other inputs\):\nFailed input: \[1, 2, 3\]\nGround Truth != Output From Generated Code: 2 != 4\n/
		);
		expect(sentMessages(server, 2).slice(-2)).toEqual([
			{ role: 'assistant', content: wrongImpl },
			{ role: 'user', content: obs2.text }
		]);
		const rewards = ofType(events, 'reward');
		expect(rewards.map((r) => [r.value, r.final])).toEqual([
			[0, false],
			[1, true]
		]);
		expect(rewards[1].components).toMatchObject({
			success: true,
			oracleCalls: 2,
			invocationsUsed: 13
		});
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		expectWellFormedTrace(events);
		// Play mode (the default): no request and no part of the trace carries the hidden source.
		const body = hidden.split('\n')[3].trim(); // "if i % 2 == 0:"
		for (const r of server.requests) expect(r.rawBody).not.toContain(body);
		const exported = JSON.stringify(exportTrace(traceFromEvents(events)));
		expect(exported).not.toContain(body);
		expect(exported).not.toContain('"hidden"');
		expect(ofType(events, 'start')[0].header.task).toMatchObject({
			codearc: { ref: expect.stringMatching(/^hidden-[0-9a-f]{16}$/) }
		});
	});

	test('budgets run out: a batch too large is sampled again, then the final prompt and the second oracle call', async () => {
		const batch = (n: number, from = 11) =>
			'INVOCATIONS:\n```python\n' +
			Array.from(
				{ length: n },
				(_, i) => `print('Result ${from + i}: ' + str(alternating_sum([${i}, 1])))`
			).join('\n') +
			'\n```';
		const finalReply =
			'```python\ndef alternating_sum(xs):\n    return sum(xs[::2]) - sum(xs[1::2])\n```';
		const { server, provider } = await wires.openAi(
			[wrongImpl, batch(21), batch(20), finalReply].map((r) => ({ chunks: [r] }))
		);
		const events = await suite.drive({ provider, preset: getPreset('codearc'), task: altSum.task });
		const obs = ofType(events, 'observation');
		expect(obs.map((o) => o.status)).toEqual(['error', 'invalid', 'ok']);
		// After the failed check: 20 invocations left, no checks (…_no_debugging).
		expect(obs[0].text).toContain('You have 20 function invocations left');
		expect(obs[0].text).not.toContain('debugging checks remaining');
		// 21 asked with 20 left: rejected, the same messages sampled again.
		expect(server.requests[2].body.messages).toEqual(server.requests[1].body.messages);
		// Both budgets spent: prompts.yaml's final.generated_invocations_previous_iteration.
		expect(obs[2].text).toMatch(
			/^Here are the outputs of the function invocations from the previous iteration:\nResult 11: -1\n/
		);
		expect(obs[2].text).toContain('Generate your final implementation of the function.');
		const rewards = ofType(events, 'reward');
		expect(rewards.map((r) => [r.value, r.final])).toEqual([
			[0, false],
			[1, true]
		]);
		expect(rewards[1].components).toMatchObject({ oracleCalls: 2, invocationsUsed: 30 });
		expect(ofType(events, 'answer').map((a) => a.turn)).toEqual([1, 4]);
	});

	test('author mode records the hidden function in the trace header', async () => {
		const { provider } = await wires.openAi([{ chunks: [rightImpl] }]);
		const task: PythonTask = {
			...altSum.task,
			codearc: { ...altSum.task.codearc!, mode: 'author' }
		};
		const events = await suite.drive({ provider, preset: getPreset('codearc'), task });
		expect((ofType(events, 'start')[0].header.task as PythonTask).codearc?.hidden).toBe(hidden);
		expect(ofType(events, 'reward').at(-1)).toMatchObject({ value: 1, final: true });
	});

	test('a play-mode task replays from its ref; two unusable samples end with INVALID_ACTION', async () => {
		const play = { ...altSum.task, codearc: playSpec(altSum.task.codearc!) };
		expect(JSON.stringify(play)).not.toContain('if i % 2');
		const { server, provider } = await wires.openAi([
			{ chunks: ['I am not sure yet.'] },
			{ chunks: ['Still thinking.'] }
		]);
		const events = await suite.drive({ provider, preset: getPreset('codearc'), task: play });
		// The second sample is drawn from the same messages: the unusable reply is not sent back.
		expect(server.requests[1].body.messages).toEqual(server.requests[0].body.messages);
		expect(ofType(events, 'reward').at(-1)).toMatchObject({
			value: 0,
			final: true,
			components: { action: 'INVALID_ACTION', oracleCalls: 0 }
		});
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	});
});

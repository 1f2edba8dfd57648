import { describe, expect, test } from 'vitest';
import { mokavTasks } from '../../src/data/difftest/index.ts';
import { firstUniqueState, varStates } from '../../src/core/difftest/exec-diff.ts';
import {
	exampleSection,
	identicalOutputText,
	mokavCheck,
	mokavSystem
} from '../../src/core/difftest/mokav.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import { expectWellFormedTrace, modelText, sentMessages, wireSuite } from './helpers/agent-wire.ts';
import { ofType } from './helpers/run-events.ts';

// Mokav episodes (issue 12 §4) against a scripted OpenAI server, with the real Pyodide and tracer.
// Expected texts: Anjiang-Wei/CodeARC@092edeeff38d019a130c8fbfdb055d39cba75bc8
// differential_testing/src_mokav/test_generator.py (generate_test, config letters B A T I E, no D) and
// code_runner.py (get_first_unique_state, check_test); the strings were produced by running that
// generate_test's prompt-building code with /usr/bin/python3 (a copy kept out of the repository).

const suite = wireSuite({ python: true });
const { wires } = suite;
const maxValue = mokavTasks.find((t) => t.id === 'mokav-max-value')!.task;
const firstPrompt =
	"\nThe following code represents version 'original' of the program:\n```python\ndef max_value(xs):\n    best = 0\n    for x in xs:\n        if x > best:\n            best = x\n    return best\n\n```\n\nThe following code represents version 'patched' of the same program: \n```python\ndef max_value(xs):\n    best = xs[0]\n    for x in xs:\n        if x > best:\n            best = x\n    return best\n\n```\n\nHere is a sample test input for which both versions produce identical output:\n```python\n{'inputdata': [1, 5, 3]}\n```\n When the above test input is executed on version 'original', the variable 'best' is assigned the value '0'. However, this variable never attains this value in version 'patched'.The identical output for this sample test input is: 5\n\nYour task is to generate a new test input in Python dict format as follows:\n```python\n{'inputdata': <inputdata>}\n```\nThis test input should be designed such that it exposes the differences between the two versions 'original' and 'patched'. In other words, when the test input is given to versions 'original' and 'patched', they should produce different outputs. This can be represented as:\n```python\noriginal(inputdata) != patched(inputdata)\n```\nPlease note that your output should not contain any explanation or newline ('\\n') characters. If the function takes multiple inputs, input them all as a tuple to the 'inputdata' field. Create a 'difference exposing test' input as per the Python dict format above.\n";
const safeDiv = mokavTasks.find((t) => t.id === 'mokav-safe-div')!.task;

describe('Mokav texts and execution feedback', () => {
	test('the follow-up texts of generate_test (with and without E)', () => {
		expect(identicalOutputText('5', null)).toBe(
			'Both versions produce an identical output for your generated test input. The output should be different. Please generate another test input.'
		);
		expect(identicalOutputText('5', { original: ['best', '0'], patched: ['best', '1'] })).toBe(
			"When the your generated test input is executed on version 'original', the variable 'best' is assigned the value '0'. However, this variable never attains this value in version 'patched'.\nSimilarly, during the execution of your generated test input on version 'patched', the variable 'best' is assigned the value '1', a value it never attains in version 'original'.\nBoth versions produce an identical output for your generated test input. This identical output is 5. The output should be different. Please generate another test input."
		);
		expect(identicalOutputText(null, { original: null, patched: null })).toBe(
			' The output should be different. Please generate another test input.'
		);
		expect(
			exampleSection("{'inputdata': [1, 5, 3]}", '5', { original: ['best', '0'], patched: null })
		).toBe(
			"\nHere is a sample test input for which both versions produce identical output:\n```python\n{'inputdata': [1, 5, 3]}\n```\n When the above test input is executed on version 'original', the variable 'best' is assigned the value '0'. However, this variable never attains this value in version 'patched'.The identical output for this sample test input is: 5\n"
		);
	});

	test('get_first_unique_state over the tracer steps: first variable by first assignment', () => {
		const step = (line: number, changed: Record<string, string>) => ({
			event: 'line' as const,
			line,
			func: 'f',
			changed,
			out: 0
		});
		const p = varStates(
			[step(1, { xs: '[1]' }), step(2, { best: '0' }), step(3, { best: '1', x: '1' })],
			9
		);
		const q = varStates([step(1, { xs: '[1]' }), step(2, { best: '1' }), step(3, { x: '1' })], 9);
		expect(firstUniqueState(p, q)).toEqual(['best', '0']);
		expect(firstUniqueState(q, p)).toBeNull();
		// Values of 50 characters or more are dropped, as get_var_states does.
		const long = varStates([step(1, { s: `'${'a'.repeat(60)}'` })], 9);
		expect(long.get('s')).toEqual({ states: [], ind: 0 });
	});

	test('both versions run on a test; a raised exception against a value is a difference', async () => {
		const programs = { original: safeDiv.mokav!.original, patched: safeDiv.mokav!.patched };
		const same = await mokavCheck(suite.runtime, programs, { response: "{'inputdata': (9, 3)}" });
		expect(same).toMatchObject({
			parsed: true,
			star: true,
			differ: false,
			patched: { output: '3' }
		});
		const det = await mokavCheck(suite.runtime, programs, {
			response: "```python\n{'inputdata': (1, 0)}\n```"
		});
		expect(det).toMatchObject({
			parsed: true,
			test: "{'inputdata': (1, 0)}",
			differ: true,
			original: { ok: false, output: 'ZeroDivisionError: division by zero' },
			patched: { ok: true, output: '0' }
		});
		const bad = await mokavCheck(suite.runtime, programs, { response: 'Try dividing by zero.' });
		expect(bad).toMatchObject({ parsed: false });
	});
});

describe('Mokav episodes over OpenAI chat', () => {
	test('the model finds a difference-exposing test on its second try', async () => {
		const first = "{'inputdata': [2, 9, 4]}";
		const second = "```python\n{'inputdata': [-3, -7]}\n```";
		const { server, provider } = await wires.openAi([{ chunks: [first] }, { chunks: [second] }]);
		const events = await suite.drive({ provider, preset: getPreset('mokav'), task: maxValue });
		expect(modelText(events)).toEqual([first, second]);
		const sent = server.requests[0].body.messages;
		expect(sent[0]).toEqual({ role: 'system', content: mokavSystem });
		// generate_test's first prompt for this pair, the example [1, 5, 3], output 5 and ('best', '0').
		expect(sent[1].content).toBe(firstPrompt);
		const [obs1, obs2] = ofType(events, 'observation');
		expect(obs1.text).toBe(
			"When the your generated test input is executed on version 'original', the variable 'best' is assigned the value '0'. However, this variable never attains this value in version 'patched'.\nBoth versions produce an identical output for your generated test input. This identical output is 9. The output should be different. Please generate another test input."
		);
		expect(sentMessages(server, 1).slice(-2)).toEqual([
			{ role: 'assistant', content: first },
			{ role: 'user', content: obs1.text }
		]);
		expect(obs2.result).toMatchObject({
			test: "{'inputdata': [-3, -7]}",
			originalOutput: '0',
			patchedOutput: '-3',
			differ: true
		});
		expect(ofType(events, 'reward')).toMatchObject([
			{ value: 1, final: true, components: { found: true, tries: 2, input: '[-3, -7]' } }
		]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'solved' });
		expectWellFormedTrace(events);
	});

	test('a model that never finds one exhausts the iteration budget', async () => {
		const replies = ["{'inputdata': [1, 2]}", 'I think [3, 4] would work.', "{'inputdata': [8]}"];
		const { provider } = await wires.openAi(replies.map((r) => ({ chunks: [r] })));
		const events = await suite.drive({
			provider,
			preset: getPreset('mokav'),
			task: maxValue,
			budgets: { maxTurns: 3 }
		});
		const obs = ofType(events, 'observation');
		expect(obs.map((o) => o.status)).toEqual(['ok', 'invalid', 'ok']);
		// A reply with no readable test: Mokav's empty data_list, so neither output nor variables.
		expect(obs[1].text).toBe(
			' The output should be different. Please generate another test input.'
		);
		expect(obs[2].text).toContain('This identical output is 8.');
		expect(ofType(events, 'reward')).toMatchObject([
			{ value: 0, final: true, components: { found: false, tries: 3 } }
		]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'max-turns' });
	});
});

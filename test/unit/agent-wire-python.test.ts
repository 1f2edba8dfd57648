import { describe, expect, test } from 'vitest';
import pythonTasks from '../../src/data/python-tasks.json' with { type: 'json' };
import { mbppTask } from '../../src/core/datasets/mbpp.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import { expectWellFormedTrace, modelText, sentMessages, wireSuite } from './helpers/agent-wire.ts';
import { ofType } from './helpers/run-events.ts';

// The Python presets' happy paths through the real providers over HTTP, with real Pyodide.

const suite = wireSuite({ python: true });
const { wires } = suite;
const secondLargest = mbppTask(pythonTasks[0]);

const goodAnswer =
	'<answer>\ndef second_largest(xs):\n    v = sorted(set(xs), reverse=True)\n    return v[1] if len(v) > 1 else None\n</answer>';

describe('LeTI-style Python feedback over OpenAI chat', () => {
	test('stdout and the user-relative traceback come back in <output>; the answer passes the tests', async () => {
		const turn1 =
			'Erst probieren.\n<python>\ndef second_largest(xs):\n    return sorted(xs)[-2]\nprint(second_largest([4, 1, 7, 7, 3]))\nsecond_largest([1])\n</python>';
		const { server, provider } = await wires.openAi([
			// The server stops at `</python>`, so the invented output after it is never sent.
			{
				chunks: [
					turn1.slice(0, 30),
					turn1.slice(30, 77),
					turn1.slice(77),
					'\n<output>\n99\n</output>'
				]
			},
			{ chunks: [goodAnswer.slice(0, 20), goodAnswer.slice(20)] }
		]);
		const events = await suite.drive({
			provider,
			preset: getPreset('python-feedback'),
			task: secondLargest
		});
		const obs =
			'\n<output>\n7\nTraceback (most recent call last):\n  File "<exec>", line 4, in <module>\n  File "<exec>", line 2, in second_largest\nIndexError: list index out of range\n</output>\n';
		expect(ofType(events, 'action')).toMatchObject([{ kind: 'python', turn: 1 }]);
		expect(ofType(events, 'observation').map((o) => [o.status, o.text])).toEqual([['error', obs]]);
		expect(ofType(events, 'answer')).toMatchObject([{ turn: 2, kind: 'python' }]);
		expect(ofType(events, 'answer')[0].code).toContain('sorted(set(xs), reverse=True)');
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		expect(modelText(events)).toEqual([turn1, goodAnswer]);

		expect(server.requests[0].body.stop).toEqual(['</python>', '</answer>']);
		expect(server.requests[0].body.messages[1].content).toContain(
			'"""\nWrite a function to return the second largest distinct number in a list, or None if there is none.\nassert second_largest([4, 1, 7, 7, 3]) == 4\n"""'
		);
		expect(sentMessages(server, 1).slice(2)).toEqual([
			{ role: 'assistant', content: turn1 },
			{ role: 'user', content: obs }
		]);
		expectWellFormedTrace(events);
	});

	test('a failing answer gets LeTI feedback as the next user message, then a passing one ends the run', async () => {
		const { server, provider } = await wires.openAi([
			{ chunks: ['<answer>\ndef second_largest(xs):\n    return sorted(xs)[-2]\n</answer>'] },
			{ chunks: [goodAnswer] }
		]);
		const events = await suite.drive({
			provider,
			preset: getPreset('python-feedback'),
			task: secondLargest
		});
		expect(ofType(events, 'reward').map((r) => [r.value, r.final])).toEqual([
			[0, false],
			[1, true]
		]);
		const feedback = sentMessages(server, 1).at(-1)!;
		expect(feedback.role).toBe('user');
		expect(feedback.content).toMatch(
			/^\n<output>\nThe code is not working correctly\. Here is some feedback: /
		);
		expect(feedback.content).toBe(ofType(events, 'observation')[0].text);
	});
});

describe('an action after the answer (LeTI-style)', () => {
	test('a server that ignores stops: cut at </answer>, the <python> after it flagged and never run', async () => {
		const { server, provider } = await wires.openAi([
			{
				chunks: [`${goodAnswer}<python>\nprint("nach der Antwort")\n</python>`],
				honorStop: false
			}
		]);
		const events = await suite.drive({
			provider,
			preset: getPreset('python-feedback'),
			task: secondLargest
		});
		expect(ofType(events, 'action')).toHaveLength(0);
		expect(ofType(events, 'answer')).toMatchObject([
			{ trailing: '<python>\nprint("nach der Antwort")\n</python>' }
		]);
		expect(modelText(events)).toEqual([goodAnswer]);
		expect(JSON.stringify(ofType(events, 'reward'))).not.toContain('nach der Antwort');
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		expect(server.requests).toHaveLength(1);
	});
});

describe('fenced and tools (Python)', () => {
	test('fenced over OpenAI chat: ```python blocks run in one session; a reply without a block answers', async () => {
		const task = mbppTask(pythonTasks[1]);
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					'```python\ndef count_vowels(s):\n    return sum(ch in "aeiou" for ch in s.lower())\n```',
					'\nNun testen…'
				]
			},
			{ chunks: ['```py', 'thon\ncount_vowels("Playground")\n`', '``'] },
			{ chunks: ['Fertig: die Funktion oben ist meine Antwort.'] }
		]);
		const events = await suite.drive({ provider, preset: getPreset('fenced'), task });
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual([
			'Output:\n```\n(no output)\n```',
			'Output:\n```\n3\n```'
		]);
		expect(ofType(events, 'answer')[0].code).toContain('def count_vowels');
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(server.requests).toHaveLength(3);
		expect(sentMessages(server, 2).at(-2)).toEqual({
			role: 'assistant',
			content: '```python\ncount_vowels("Playground")\n```'
		});
	});

	test('tools over OpenAI tool calls: run_python output is the tool message; submit runs the tests', async () => {
		const task = mbppTask(pythonTasks[5]);
		const { server, provider } = await wires.openAi([
			{
				chunks: [
					{
						toolCall: { id: 'call_p', name: 'run_python', arguments: '{"code": "print(2 ** 10)"}' }
					}
				]
			},
			{
				chunks: [
					{
						toolCall: {
							id: 'call_s',
							name: 'submit',
							arguments: JSON.stringify({ answer: pythonTasks[5].code })
						},
						parts: 5
					}
				]
			}
		]);
		const events = await suite.drive({ provider, preset: getPreset('tools'), task });
		expect(
			server.requests[0].body.tools.map((t: { function: { name: string } }) => t.function.name)
		).toEqual(['run_python', 'submit']);
		expect(sentMessages(server, 1).slice(2)).toEqual([
			{
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: 'call_p',
						type: 'function',
						function: { name: 'run_python', arguments: '{"code": "print(2 ** 10)"}' }
					}
				]
			},
			{ role: 'tool', tool_call_id: 'call_p', content: '1024\n' }
		]);
		expect(ofType(events, 'reward')).toMatchObject([{ value: 1, final: true }]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	});
});

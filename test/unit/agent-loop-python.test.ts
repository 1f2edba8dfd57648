import { beforeAll, describe, expect, test } from 'vitest';
import pythonTasks from '../../src/data/python-tasks.json' with { type: 'json' };
import { mbppTask } from '../../src/core/datasets/mbpp.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { ScriptedProvider } from './helpers/recorded-provider.ts';
import { collect, ofType } from './helpers/run-events.ts';

let ex: NodeRuntime;
const task = mbppTask(pythonTasks[0]); // second_largest
beforeAll(async () => {
	ex = await nodeRuntime({ python: true });
});

describe('Python presets through the loop, real Pyodide', () => {
	test('LeTI-style: stdout and user-relative traceback come back; a failing answer gets feedback; a passing one ends', async () => {
		const provider = new ScriptedProvider([
			'Let me try.\n<python>\ndef second_largest(xs):\n    return sorted(xs)[-2]\nprint(second_largest([4, 1, 7, 7, 3]))\nsecond_largest([1])\n</python>',
			'<answer>\ndef second_largest(xs):\n    return sorted(xs)[-2]\n</answer>',
			'<answer>\ndef second_largest(xs):\n    v = sorted(set(xs), reverse=True)\n    return v[1] if len(v) > 1 else None\n</answer>'
		]);
		const events = await collect({
			provider,
			runtime: ex,
			preset: getPreset('python-feedback'),
			task
		});
		const [run, feedback] = ofType(events, 'observation');
		expect(run.status).toBe('error');
		expect(run.text).toBe(
			'\n<output>\n7\nTraceback (most recent call last):\n  File "<exec>", line 4, in <module>\n  File "<exec>", line 2, in second_largest\nIndexError: list index out of range\n</output>\n'
		);
		expect(feedback.text).toContain(
			'The code is not working correctly. Here is some feedback: Traceback'
		);
		expect(ofType(events, 'reward').map((r) => [r.value, r.final])).toEqual([
			[0, false],
			[1, true]
		]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		// The session persists between cells: the definition from turn 1 exists.
		expect((await ex.python.run('second_largest([9, 8])', { session: 'probe' })).ok).toBe(false);
	});

	test('fenced: a ```python block runs when it closes; a reply without a block answers with the code that ran', async () => {
		const provider = new ScriptedProvider(
			[
				'```python\ndef count_vowels(s):\n    return sum(ch in "aeiou" for ch in s.lower())\n```\nNow test it...',
				'```python\ncount_vowels("Playground")\n```',
				'Done: the function above is my answer.'
			],
			{ chunk: 4 }
		);
		const events = await collect({
			provider,
			runtime: ex,
			preset: getPreset('fenced'),
			task: mbppTask(pythonTasks[1])
		});
		const obs = ofType(events, 'observation');
		expect(obs[1].text).toBe('Output:\n```\n3\n```');
		expect(ofType(events, 'answer')[0].code).toContain('def count_vowels');
		expect(ofType(events, 'reward')[0].value).toBe(1);
	});

	test('tools: run_python observations go back as tool messages; submit is scored', async () => {
		const provider = new ScriptedProvider([
			{
				text: '',
				toolCalls: [
					{ id: 'c1', name: 'run_python', arguments: JSON.stringify({ code: 'print(2 ** 10)' }) }
				]
			},
			{
				text: 'Submitting.',
				toolCalls: [
					{ id: 'c2', name: 'submit', arguments: JSON.stringify({ answer: pythonTasks[5].code }) }
				]
			}
		]);
		const events = await collect({
			provider,
			runtime: ex,
			preset: getPreset('tools'),
			task: mbppTask(pythonTasks[5])
		});
		expect(provider.requests[0].tools!.map((t) => t.name)).toEqual(['run_python', 'submit']);
		expect(provider.requests[1].messages!.at(-1)).toEqual({
			role: 'tool',
			content: '1024\n',
			toolCallId: 'c1'
		});
		expect(ofType(events, 'action')[0]).toMatchObject({ kind: 'python', toolCallId: 'c1' });
		expect(ofType(events, 'reward')[0].value).toBe(1);
	});
});

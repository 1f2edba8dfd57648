import { beforeAll, describe, expect, test } from 'vitest';
import pythonTasks from '../../src/data/python-tasks.json' with { type: 'json' };
import { importMbpp, mbppTask } from '../../src/core/datasets/mbpp.ts';
import { testProgram, testSample } from '../../src/core/presets/python-code.ts';
import type { EvalSampleResult } from '../../workers/protocol.ts';
import { intercodeMbppReward } from '../../src/core/rewards/intercode-mbpp.ts';
import { pythonTestsReward } from '../../src/core/rewards/python-tests.ts';
import { mbppStyleText } from '../fixtures/mbpp-style.ts';
import { readShared, testRealData } from '../shared-data.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

let ex: NodeRuntime;
beforeAll(async () => {
	ex = await nodeRuntime({ python: true });
});

describe('MBPP pass in real Pyodide', () => {
	/**
	 * Every reference solution of an MBPP-shaped jsonl passes its own tests; tests given apart give
	 * what the joined programs give; a broken solution fails.
	 */
	async function expectMbppPasses(jsonl: string): Promise<void> {
		const tasks = importMbpp(jsonl).map(mbppTask);
		const results = await ex.python.runMany(
			tasks.map((t) => ({ id: t.id!, code: testProgram(t.gold!, t.tests, t.setup) })),
			{ timeoutMs: 10_000 }
		);
		const failed = results.filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.status}`);
		expect(failed).toEqual([]);
		// Tests given apart (compiled once per task) give exactly what the joined programs give,
		// for right and for broken answers.
		const answers = tasks.flatMap((t) => [
			{ t, id: `${t.id}`, answer: t.gold! },
			{ t, id: `${t.id}-broken`, answer: t.gold!.replace(/return /, 'return None and ') }
		]);
		const strip = ({ durationMs: _, ...rest }: EvalSampleResult) => rest;
		const joined = await ex.python.runMany(
			answers.map(({ t, id, answer }) => ({ id, code: testProgram(answer, t.tests, t.setup) })),
			{ timeoutMs: 10_000 }
		);
		const split = await ex.python.runMany(
			answers.map(({ t, id, answer }) => ({ id, ...testSample(answer, t.tests, t.setup) })),
			{ timeoutMs: 10_000 }
		);
		expect(split.map(strip)).toEqual(joined.map(strip));
		expect(joined.filter((r) => r.status === 'failed').length).toBeGreaterThan(tasks.length / 2);
		const broken = await pythonTestsReward(
			ex,
			tasks[1],
			tasks[1].gold!.replace(/return/, 'return None #')
		);
		expect(broken.reward.value).toBe(0);
		expect(broken.feedback).toContain('AssertionError');
	}

	test('every reference solution of our MBPP-style problems passes its own tests; a broken one fails', () =>
		expectMbppPasses(mbppStyleText));

	testRealData('every MBPP dev reference solution passes its own tests; a broken one fails', () =>
		expectMbppPasses(readShared('mbpp/mbpp-dev.jsonl'))
	);

	test('our bundled tasks pass with their solutions and fail with a wrong one', async () => {
		for (const item of pythonTasks) {
			const task = mbppTask(item);
			expect((await pythonTestsReward(ex, task, task.gold!)).reward.value).toBe(1);
		}
		const fib = mbppTask(pythonTasks[5]);
		const wrong = await pythonTestsReward(ex, fib, 'def fib(n):\n    return n');
		expect(wrong.reward.value).toBe(0);
		expect(wrong.feedback).toMatch(/^Traceback \(most recent call last\):/);
	});

	test('InterCode MBPP reward: fraction of tests whose output matches the gold', async () => {
		const task = mbppTask(pythonTasks[1]);
		expect(
			await intercodeMbppReward(
				ex,
				'def vowels(s):\n    return sum(c in "aeiou" for c in s.lower())',
				task.gold!,
				task.tests
			)
		).toBe(1);
		// Ignores upper case: right for 'rhythm' only.
		const partial = await intercodeMbppReward(
			ex,
			'def v(s):\n    return sum(c in "aeiou" for c in s)',
			task.gold!,
			task.tests
		);
		expect(partial).toBeCloseTo(2 / 3, 12);
	});
});

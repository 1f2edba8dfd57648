import type { Executors } from '../executors.ts';
import type { PythonTask } from '../trace/events.ts';
import type { Reward } from '../presets/types.ts';
import { testSample } from '../presets/python-code.ts';

/** The outcome of running a task's tests on an answer. */
export interface TestsOutcome {
	reward: Reward;
	/** LeTI's feedback: the traceback, or the failure reason ("timeout"); empty when it passed (§2.2). */
	feedback: string;
	durationMs: number;
}

/** Runs the task's asserts on an answer in a fresh namespace (MBPP/HumanEval pass, §12.1–12.2). */
export async function pythonTestsReward(
	executors: Executors,
	task: PythonTask,
	answer: string,
	options: { timeoutMs?: number; signal?: AbortSignal } = {}
): Promise<TestsOutcome> {
	const [result] = await executors.pythonBatch(
		[{ id: task.id ?? 'answer', ...testSample(answer, task.tests, task.setup) }],
		options
	);
	const passed = result.status === 'passed';
	const feedback = passed
		? ''
		: result.status === 'timeout'
			? 'timeout'
			: (result.error?.traceback ?? result.error?.message ?? result.status);
	return {
		reward: { value: passed ? 1 : 0, components: { status: result.status, passed } },
		feedback,
		durationMs: result.durationMs
	};
}

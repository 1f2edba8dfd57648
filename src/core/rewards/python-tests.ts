import type { Runtime } from '../runtime.ts';
import type { PythonTask } from '../trace/events.ts';
import type { Reward } from '../presets/types.ts';
import { testSample } from '../presets/python-code.ts';

/** The outcome of running a task's tests on an answer. */
export interface TestsOutcome {
	reward: Reward;
	/** LeTI's feedback (leti/utils/execute): the traceback or the failure reason; empty on a pass. */
	feedback: string;
	durationMs: number;
}

/** Runs the task's asserts on an answer in a fresh namespace (MBPP and HumanEval's pass). */
export async function pythonTestsReward(
	runtime: Runtime,
	task: PythonTask,
	answer: string,
	options: { timeoutMs?: number; signal?: AbortSignal } = {}
): Promise<TestsOutcome> {
	const [result] = await runtime.python.runMany(
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

// MBPP scoring programs. Two harnesses are in use and they differ: LeTI (xingyaoww/LeTI
// leti/scripts/data/process_mbpp.py `generate_prompt` + leti/utils/execute/executor.py
// `_execute_task`) runs prompt + generation + "\n" + the asserts joined by newlines, with no
// test_setup_code and a 5 s limit; the dataset's own description (google-research/mbpp README)
// has test_setup_code run before the tests. Both are here, named.
import type { EvalSample } from '../../../workers/protocol.ts';

/** An MBPP task, as in mbpp.jsonl. */
export interface MbppTask {
	task_id: number | string;
	text?: string;
	code?: string;
	test_list: string[];
	test_setup_code?: string;
}

/** executor.py's default `timeout: int = 5` (seconds). */
export const letiTimeoutMs = 5000;

/** process_mbpp.py `generate_prompt` with no extra prompt or feedback: a docstring of text + first test. */
export function letiMbppPrompt(task: MbppTask): string {
	return `"""\n${task.text ?? ''}\n${task.test_list[0] ?? ''}\n"""`;
}

/**
 * LeTI's MBPP program: `prompt + generation + "\n" + reference`, the reference being
 * `"\n".join(test_list)` (test_setup_code unused).
 */
export function letiMbppProgram(task: MbppTask, generation: string): string {
	return letiMbppPrompt(task) + generation + '\n' + task.test_list.join('\n');
}

/**
 * The program as the MBPP dataset describes it: the solution, then test_setup_code ("code to be
 * executed before the tests"), then the asserts.
 */
export function mbppProgram(task: MbppTask, solution: string): string {
	const setup = task.test_setup_code ? `${task.test_setup_code}\n` : '';
	return `${solution}\n${setup}${task.test_list.join('\n')}`;
}

/** A runMany sample running {@link mbppProgram}: the solution as code, the rest as its tests. */
export function mbppSample(
	id: string,
	task: MbppTask,
	solution: string,
	timeoutMs = letiTimeoutMs
): EvalSample {
	const setup = task.test_setup_code ? `${task.test_setup_code}\n` : '';
	return { id, code: solution, tests: setup + task.test_list.join('\n'), timeoutMs };
}

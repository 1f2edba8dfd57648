// HumanEval as openai/human-eval scores a completion (human_eval/execution.py `check_correctness`
// / `unsafe_execute`), run through Runtime.python.runMany.
import type { EvalSample, EvalSampleResult } from '../../../workers/protocol.ts';

/** A HumanEval problem, as in HumanEval.jsonl. */
export interface HumanEvalProblem {
	task_id: string;
	prompt: string;
	test: string;
	entry_point: string;
}

/** check_correctness's default limit (evaluate_functional_correctness `timeout=3.0`). */
export const humanEvalTimeoutMs = 3000;

/** The result string human-eval records: `passed`, `timed out` or `failed: <str(exception)>`. */
export type HumanEvalResult = 'passed' | 'timed out' | `failed: ${string}`;

/** execution.py `unsafe_execute`'s check program, exactly. */
export function humanEvalProgram(problem: HumanEvalProblem, completion: string): string {
	return problem.prompt + completion + '\n' + problem.test + '\n' + `check(${problem.entry_point})`;
}

// human-eval execs in fresh empty globals, where `__name__` falls through to the builtins module's
// ('builtins'); our batch namespace sets '__main__', so the sample first deletes it. That line
// comes before the program, hence the line fix in SyntaxError texts below.
const emptyGlobalsPrologue = 'del __name__';

/**
 * The runMany sample that runs the check program as human-eval does: 3.0 s, empty globals, inside
 * reliability_guard and swallow_io in a fresh empty directory (the sample's `guard`).
 */
export function humanEvalSample(
	id: string,
	problem: HumanEvalProblem,
	completion: string
): EvalSample {
	return {
		id,
		code: emptyGlobalsPrologue,
		tests: humanEvalProgram(problem, completion),
		timeoutMs: humanEvalTimeoutMs,
		guard: 'humaneval'
	};
}

/**
 * The result string for a sample run by {@link humanEvalSample}: `passed`, `timed out`, or
 * `failed: ` + str(e) (AssertionError() prints as nothing, so a bare assert is `failed: `).
 * A SyntaxError's str names the file and line: human-eval's exec of a string says `<string>` and
 * counts lines of the program; ours says `<exec>` and counts the prologue line too.
 */
export function humanEvalResult(r: EvalSampleResult): HumanEvalResult {
	if (r.status === 'passed') return 'passed';
	if (r.status === 'timeout') return 'timed out';
	let message = r.error?.message ?? '';
	if (/\(<exec>, line \d+\)$/.test(message)) {
		// The message may name another line too ("… after function definition on line 2").
		message = message
			.replace(/ on line (\d+)/g, (_, line: string) => ` on line ${Number(line) - 1}`)
			.replace(
				/\(<exec>, line (\d+)\)$/,
				(_, line: string) => `(<string>, line ${Number(line) - 1})`
			);
	}
	return `failed: ${message}`;
}

import { z } from 'zod';
import type { PythonTask } from '../trace/events.ts';
import { parseJsonl } from './mbpp.ts';

/** A HumanEval problem line (openai/human-eval human_eval/data.py). */
export const humanEvalSchema = z.object({
	task_id: z.string(),
	prompt: z.string(),
	canonical_solution: z.string(),
	test: z.string(),
	entry_point: z.string()
});
/** A HumanEval problem. */
export type HumanEvalProblem = z.infer<typeof humanEvalSchema>;

/** Reads `HumanEval.jsonl`. */
export const importHumanEval = (text: string): HumanEvalProblem[] =>
	parseJsonl(text, humanEvalSchema);

/** HumanEval's check program: `prompt + completion + "\n" + test + "\n" + f"check({entry_point})"`. */
export function humanEvalProgram(problem: HumanEvalProblem, completion: string): string {
	return `${problem.prompt}${completion}\n${problem.test}\ncheck(${problem.entry_point})`;
}

/** A HumanEval problem as an agent task: the answer is the full function; the test calls check(). */
export function humanEvalTask(problem: HumanEvalProblem): PythonTask {
	return {
		id: problem.task_id,
		description: `Complete this function:\n\n${problem.prompt}`,
		tests: [problem.test, `check(${problem.entry_point})`],
		entryPoint: problem.entry_point,
		gold: problem.prompt + problem.canonical_solution
	};
}

/** A line of a samples file: `{task_id, completion}` (completion without the prompt). */
export interface HumanEvalSample {
	task_id: string;
	completion: string;
}

/** Writes a HumanEval samples file (JSON Lines). */
export function exportHumanEvalSamples(samples: readonly HumanEvalSample[]): string {
	return (
		samples
			.map((s) => JSON.stringify({ task_id: s.task_id, completion: s.completion }))
			.join('\n') + '\n'
	);
}

/** The completion part of a full answer that repeats the prompt (what samples files hold). */
export function completionOf(problem: HumanEvalProblem, answer: string): string {
	return answer.startsWith(problem.prompt) ? answer.slice(problem.prompt.length) : answer;
}

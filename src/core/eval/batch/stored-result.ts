// A stored run's result, as the Eval tab shows it when the run is opened from the saved list: its
// jobs planned again from its input (the planner is pure, so this is what ran) and its verdicts
// aggregated as the run itself aggregated them.
import type { SampleVerdict, TaskPack } from '../pack.ts';
import { planAnswers, planBatch } from './plan.ts';
import { resultOf } from './run.ts';
import type { BatchPlan, BatchResult, EvalRunRecord } from './types.ts';

/** The plan of a stored run: from its generated answers (a model source), else from its source. */
export function planOfRecord(pack: TaskPack, record: EvalRunRecord): BatchPlan {
	const budgets = record.options.budgets;
	return record.answers
		? planAnswers(pack, record.answers, budgets)
		: planBatch(pack, record.source, budgets);
}

/** The numbers and verdicts of a stored run (an unfinished one: those scored so far). */
export function storedResult(
	pack: TaskPack,
	record: EvalRunRecord,
	verdicts: readonly (SampleVerdict | undefined)[]
): BatchResult {
	const plan = planOfRecord(pack, record);
	return resultOf(plan, verdicts, record.state, record.options.k, record.machine);
}

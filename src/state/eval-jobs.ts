// What ran for each sample of a shown result: the planner's jobs (program and tests, or predicted
// and gold SQL), planned again on demand from the result's pack and source and kept by sample.
import { planAnswers, planBatch, type TaskAnswer } from '../core/eval/batch/plan.ts';
import type { BatchJob, BatchSource } from '../core/eval/batch/types.ts';
import type { SampleVerdict, TaskPack } from '../core/eval/pack.ts';

/**
 * Finds a sample's job; plans once per source (the planner is pure, so this is what ran). A model
 * source is planned from its generated answers, once they are known.
 */
export function createJobLookup(): (
	pack: TaskPack | null,
	source: BatchSource | null,
	answers: readonly TaskAnswer[] | null,
	sample: SampleVerdict
) => BatchJob | null {
	let jobs: Map<string, BatchJob> | null = null;
	let plannedFor: unknown = null;
	return (pack, source, answers, sample) => {
		if (!pack || !source || (source.kind === 'model' && !answers)) return null;
		const basis = source.kind === 'model' ? answers : source;
		if (!jobs || plannedFor !== basis) {
			plannedFor = basis;
			try {
				const plan =
					source.kind === 'model' && answers ? planAnswers(pack, answers) : planBatch(pack, source);
				jobs = new Map(plan.jobs.map((j) => [`${j.taskId}#${j.index}`, j]));
			} catch {
				jobs = new Map();
			}
		}
		return jobs.get(`${sample.taskId}#${sample.index}`) ?? null;
	};
}

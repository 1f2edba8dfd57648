// A run's numbers from its verdicts: pass@k per k averaged over tasks as human-eval does
// (evaluation.py `evaluate_functional_correctness`, via pass-at-k.ts), or execution accuracy
// overall, by hardness / difficulty and by database for SQL packs; plus the near-limit count.
import type { EvalMachine, EvalMetrics, SampleVerdict } from '../pack.ts';
import { humanEvalPassAtK } from '../pass-at-k.ts';
import { isGoldError } from './score.ts';
import type { BatchPlan } from './types.ts';

/** human-eval's default `k` ("1,10,100"). */
export const defaultKs = [1, 10, 100];

/** Prefix of the by-database keys of `byGroup` (hardness and difficulty keys have none). */
export const dbGroupPrefix = 'db:';

/**
 * The metrics of `verdicts` (indexed by job order; missing ones are not counted). pass@k covers
 * the tasks that have samples, each k only when every such task has at least k (as human-eval).
 * SQL: EX over the questions whose gold runs (a failing gold is reported in its verdict instead).
 */
export function aggregate(
	plan: BatchPlan,
	verdicts: readonly (SampleVerdict | undefined)[],
	ks: readonly number[] = defaultKs,
	machine?: EvalMachine
): EvalMetrics {
	const done = verdicts.filter((v): v is SampleVerdict => v !== undefined);
	const metrics: EvalMetrics = {
		nearLimit: done.filter((v) => v.nearLimit).length,
		total: done.length
	};
	if (plan.format === 'humaneval' || plan.format === 'mbpp') {
		metrics.passAtK = passAtKByTask(done, ks);
	} else {
		// A gold that fails is an error in the data, not a 0 (exec_eval.py asserts): left out.
		const scored = done.filter((v) => !isGoldError(v));
		metrics.ex = scored.length ? scored.filter((v) => v.passed).length / scored.length : 0;
		metrics.byGroup = exByGroup(plan, verdicts);
	}
	if (machine) metrics.machine = machine;
	return metrics;
}

/** pass@k keyed by k as a string (`"1"`), from per-task sample and pass counts in first-seen order. */
export function passAtKByTask(
	verdicts: readonly SampleVerdict[],
	ks: readonly number[]
): Record<string, number> {
	const tasks = new Map<string, { n: number; c: number }>();
	for (const v of verdicts) {
		const t = tasks.get(v.taskId) ?? { n: 0, c: 0 };
		t.n++;
		if (v.passed) t.c++;
		tasks.set(v.taskId, t);
	}
	if (!tasks.size) return {};
	const official = humanEvalPassAtK([...tasks.values()], ks);
	const out: Record<string, number> = {};
	for (const [key, value] of Object.entries(official)) out[key.slice('pass@'.length)] = value;
	return out;
}

function exByGroup(
	plan: BatchPlan,
	verdicts: readonly (SampleVerdict | undefined)[]
): Record<string, { ex: number; count: number }> {
	const counts = new Map<string, { passed: number; count: number }>();
	const add = (key: string, passed: boolean) => {
		const c = counts.get(key) ?? { passed: 0, count: 0 };
		c.count++;
		if (passed) c.passed++;
		counts.set(key, c);
	};
	verdicts.forEach((v, order) => {
		const job = plan.jobs[order];
		if (!v || !job || isGoldError(v)) return;
		if (v.group) add(v.group, v.passed);
		if (job.kind === 'sql') add(dbGroupPrefix + job.dbId, v.passed);
	});
	const out: Record<string, { ex: number; count: number }> = {};
	for (const [key, c] of counts) out[key] = { ex: c.passed / c.count, count: c.count };
	return out;
}

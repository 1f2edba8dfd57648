// The SQL side of the evaluation pool (src/runtime/eval-pool.ts): a chunk of Spider / BIRD jobs
// scored on one SQL worker that has the pack's databases open.
import type { SqlRuntime } from '../core/runtime.ts';
import type { SampleVerdict, TaskPack } from '../core/eval/pack.ts';
import type { ExecuteContext } from '../core/eval/batch/run.ts';
import type { SqlJob } from '../core/eval/batch/types.ts';
import { crashedVerdict, scoreSqlJob } from '../core/eval/batch/score.ts';
import { batchedExec } from '../core/eval/batched-exec.ts';
import { testSuiteDatabases } from '../core/eval/spider-ex.ts';

/** An SQL worker of the pool (a SqlClient; the real engine in Node tests). */
export type PoolSql = Pick<SqlRuntime, 'exec' | 'execMany' | 'open'> & {
	/** A bundled sample's bytes, for packs whose databases are the app's samples. */
	fetchSample?: (name: string) => Promise<Uint8Array>;
	dispose?(): void;
	sqliteVersion?: () => string | undefined;
};

/** Scores a chunk of SQL jobs on one worker of the pool, opening the pack's databases as needed. */
export async function runSqlChunk(
	lane: { sql: PoolSql; open: Map<string, Promise<string[]>> },
	pack: TaskPack,
	jobs: SqlJob[],
	context: ExecuteContext
): Promise<void> {
	// Several jobs score at once so that their queries reach the worker as batches (batchedExec).
	const sql = batchedExec(lane.sql, { signal: context.signal });
	const opened = (dbId: string) => {
		let names = lane.open.get(dbId);
		if (!names) {
			names = openDatabase(lane.sql, pack, dbId);
			lane.open.set(dbId, names);
			names.catch(() => lane.open.delete(dbId));
		}
		return names;
	};
	let next = 0;
	let failed = false;
	const scoreNext = async () => {
		const job = jobs[next++];
		await context.gate();
		context.signal.throwIfAborted();
		const names = new Map<string, string[]>();
		for (const dbId of new Set([job.dbId, job.predDbId ?? job.dbId])) {
			names.set(dbId, await opened(dbId));
		}
		let verdict: SampleVerdict;
		const started = performance.now();
		try {
			verdict = await scoreSqlJob(sql, job, (dbId) => names.get(dbId) ?? []);
		} catch (error) {
			const why = error instanceof Error ? error.message : String(error);
			verdict = crashedVerdict(job, why, performance.now() - started);
		}
		context.deliver([{ order: job.order, verdict }]);
	};
	const scorer = async () => {
		try {
			while (next < jobs.length && !failed) await scoreNext();
		} catch (error) {
			failed = true;
			throw error;
		}
	};
	await Promise.all(Array.from({ length: Math.min(sqlScorersPerWorker, jobs.length) }, scorer));
}

// A SQL job waits on its queries one after another; this many jobs per worker in flight make the
// batches that keep the worker busy (16 pairs of queries a message measured as fast as 104).
const sqlScorersPerWorker = 16;

// Opens a pack database's files under `eval/<db_id>/<file>`; returns the names to score on
// (Spider: the test suite in exec_eval.py's order; BIRD: the main file).
async function openDatabase(sql: PoolSql, pack: TaskPack, dbId: string): Promise<string[]> {
	if (pack.format !== 'spider' && pack.format !== 'bird') return [];
	const db = pack.databases.find((d) => d.dbId === dbId);
	if (!db) return [];
	// A bundled pack's database is the app's sample of that name (src/data/packs/index.ts).
	if (db.files.length === 0 && sql.fetchSample) {
		const name = `eval/${dbId}/${dbId}.sqlite`;
		await sql.open(name, await sql.fetchSample(dbId));
		return [name];
	}
	const named = db.files.map((f) => ({
		name: `eval/${dbId}/${f.name.split('/').pop()}`,
		bytes: f.bytes
	}));
	const files = pack.format === 'bird' ? named.slice(0, 1) : named;
	for (const f of files) await sql.open(f.name, f.bytes.slice());
	if (pack.format === 'bird') return files.map((f) => f.name);
	const order = testSuiteDatabases(files.map((f) => f.name));
	return order.length ? order : files.map((f) => f.name);
}

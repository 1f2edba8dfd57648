// Scorers run many small read-only queries, and a round trip to the SQL worker costs more than such
// a query (the worker wakes cold for each message). This SqlExec gathers the read-only calls that
// concurrent scorers make in the same turn into one `execMany`, so the worker runs them back to
// back. Results are the ones `exec` would give: each call keeps its own time limit, and a batch that
// cannot finish (a crash, a hang) is rerun call by call, so only the culprit fails or times out.
import type { SqlExecOptions, SqlExecResult, SqlReadCall } from '../../../workers/protocol.ts';
import type { Cancellable, SqlRuntime } from '../runtime.ts';
import type { SqlExec } from './python-sqlite.ts';

/** Options of {@link batchedExec}. */
export interface BatchedExecOptions {
	/** Most calls in one message; more pending calls go in the next. Default 64. */
	maxBatch?: number;
	/** Ends every pending and future call (they reject with the abort reason). */
	signal?: AbortSignal;
}

interface Pending {
	call: SqlReadCall;
	resolve: (r: SqlExecResult) => void;
	reject: (e: unknown) => void;
}

/** An {@link SqlExec} over `sql` that sends concurrent read-only calls as batches. */
export function batchedExec(
	sql: Pick<SqlRuntime, 'exec' | 'execMany'>,
	options: BatchedExecOptions = {}
): SqlExec {
	const maxBatch = Math.max(1, options.maxBatch ?? 64);
	const { signal } = options;
	const pending: Pending[] = [];
	let scheduled = false;

	const flush = () => {
		scheduled = false;
		while (pending.length > 0) void send(pending.splice(0, maxBatch));
	};
	const send = async (batch: Pending[]) => {
		try {
			signal?.throwIfAborted();
			if (batch.length === 1) {
				settle(batch[0], sql.exec(batch[0].call.sql, single(batch[0])));
				return;
			}
			const results = await sql.execMany(
				batch.map((p) => p.call),
				signal ? { signal } : {}
			);
			batch.forEach((p, i) => p.resolve(results[i]));
		} catch (error) {
			if (signal?.aborted) for (const p of batch) p.reject(signal.reason);
			else for (const p of batch) settle(p, sql.exec(p.call.sql, single(p)));
		}
	};
	const single = (p: Pending): SqlExecOptions & Cancellable => ({
		...p.call.options,
		readOnly: true,
		...(signal ? { signal } : {})
	});

	return {
		exec(query, execOptions) {
			const { signal: own, readOnly, ...limits } = execOptions;
			// Calls that may write, or that carry their own signal, keep their own round trip.
			if (!readOnly || own) return sql.exec(query, execOptions);
			return new Promise<SqlExecResult>((resolve, reject) => {
				pending.push({ call: { sql: query, options: limits }, resolve, reject });
				if (pending.length >= maxBatch) flush();
				else if (!scheduled) {
					scheduled = true;
					// A task, not a microtask: scorers resumed by the last batch take several
					// microtask hops before their next call, and all of them should make this batch.
					setTimeout(flush, 0);
				}
			});
		}
	};
}

function settle(p: Pending, result: Promise<SqlExecResult>): void {
	result.then(p.resolve, p.reject);
}

// SQL evaluation figures on the Spider sample (../shared/data/spider, issue 14 Bench):
//   sql.vsNativeRatio: every Spider sample gold query run in the browser's SQL worker as the
//   scorer runs it (read-only, all rows, typed values, 16 queries a message), summed worker-side
//   time, over the same queries on the same files with better-sqlite3 in Node, in the same run.
//   The wall time with the round trips is kept in extra as sql.vsNativeRatioRoundTrip, and the
//   worker-side time of one query a message as sql.vsNativeRatioOneByOne.
//   eval.spiderExPairsPerSec: Spider EX verdicts per second through the embed `score` request
//   (every gold against itself), from a host page on another origin.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The Spider sample: golds and database paths, or null when the shared data is absent. */
export function spiderSample(sharedDir) {
	const dev = join(sharedDir, 'spider/dev-sample.json');
	if (!existsSync(dev)) return null;
	const golds = JSON.parse(readFileSync(dev, 'utf8')).map((g) => ({ db: g.db_id, query: g.query }));
	const dbs = {};
	for (const id of readdirSync(join(sharedDir, 'spider/database'))) {
		dbs[id] = join(sharedDir, 'spider/database', id, `${id}.sqlite`);
	}
	return { golds, dbs };
}

/** Every database of the sample opened read-only in better-sqlite3, by id. */
function openNative(sample) {
	return Object.fromEntries(
		Object.entries(sample.dbs).map(([id, path]) => [id, new Database(path, { readonly: true })])
	);
}

/**
 * The sample restricted to the golds better-sqlite3 runs without an error, so that both sides of
 * the ratio do the same work (a query that fails stops at prepare, and better-sqlite3 refuses
 * double-quoted string literals that sql.js accepts).
 */
export function runnableGolds(sample) {
	const open = openNative(sample);
	try {
		const golds = sample.golds.filter((g) => {
			try {
				open[g.db].prepare(g.query).raw().all();
				return true;
			} catch {
				return false;
			}
		});
		return { ...sample, golds };
	} finally {
		for (const db of Object.values(open)) db.close();
	}
}

/** Per round, the ms better-sqlite3 takes to prepare and fetch every gold (failing ones included). */
export function nativeGoldTimes(sample, rounds) {
	const open = openNative(sample);
	try {
		const times = [];
		let failed = 0;
		for (let r = 0; r < rounds; r++) {
			failed = 0;
			const t0 = performance.now();
			for (const g of sample.golds) {
				try {
					open[g.db].prepare(g.query).raw().all();
				} catch {
					failed++;
				}
			}
			times.push(performance.now() - t0);
		}
		return { times, failed };
	} finally {
		for (const db of Object.values(open)) db.close();
	}
}

/** Queries per message as the scorer sends them: src/runtime/eval-pool.ts sqlScorersPerWorker. */
export const scorerBatch = 16;

/**
 * Per round, in the app page (globalThis.execlab.sql): the summed worker-side durationMs of every
 * gold run as the batch scorer runs it (read-only, all rows, {@link scorerBatch} queries a message
 * through execMany), the wall time of that round including the round trips, and the summed
 * worker-side time of the golds sent one exec per message (`single`, the path before batching).
 */
export async function workerGoldTimes(page, sample, rounds) {
	const dbs = Object.fromEntries(
		Object.entries(sample.dbs).map(([id, path]) => [id, [...readFileSync(path)]])
	);
	return page.evaluate(
		async ([golds, dbs, rounds, batch]) => {
			const sql = globalThis.execlab.sql;
			for (const [id, bytes] of Object.entries(dbs))
				await sql.open(`bench-${id}`, new Uint8Array(bytes));
			const options = (g) => ({ db: `bench-${g.db}`, maxRows: Number.MAX_SAFE_INTEGER });
			const worker = [];
			const single = [];
			const wall = [];
			let failed = 0;
			// One warm-up round: the first statements compile sql.js paths the later ones reuse.
			for (let r = 0; r <= rounds; r++) {
				failed = 0;
				let inWorker = 0;
				const t0 = performance.now();
				for (let i = 0; i < golds.length; i += batch) {
					const calls = golds
						.slice(i, i + batch)
						.map((g) => ({ sql: g.query, options: options(g) }));
					for (const res of await sql.execMany(calls)) {
						inWorker += res.durationMs;
						if (!res.ok) failed++;
					}
				}
				if (r > 0) {
					wall.push(performance.now() - t0);
					worker.push(inWorker);
				}
				let alone = 0;
				for (const g of golds) {
					alone += (await sql.exec(g.query, { ...options(g), readOnly: true })).durationMs;
				}
				if (r > 0) single.push(alone);
			}
			return { worker, single, wall, failed };
		},
		[sample.golds, dbs, rounds, scorerBatch]
	);
}

/**
 * From the host page of measure-eval-pool.mjs (its `evalRun` posts any request and resolves on
 * its result): the sample's databases sent with load-db, then every gold scored against itself
 * with `score` (metric spider-ex), all requests in flight at once, `rounds` times. Returns the
 * verdicts per second of each round and the verdict counts.
 */
export async function spiderExPairs(page, sample, rounds) {
	const dbs = Object.fromEntries(
		Object.entries(sample.dbs).map(([id, path]) => [id, [...readFileSync(path)]])
	);
	return page.evaluate(
		async ([golds, dbs, rounds]) => {
			for (const [id, bytes] of Object.entries(dbs)) {
				const r = await window.evalRun({
					execlab: 1,
					type: 'load-db',
					id: `db-${id}`,
					name: id,
					bytes: new Uint8Array(bytes)
				});
				if (!r.result.ok) throw new Error(`load-db ${id}: ${r.result.error?.message}`);
			}
			const perSec = [];
			let verdicts = 0;
			let goldErrors = 0;
			for (let r = 0; r <= rounds; r++) {
				const t0 = performance.now();
				const replies = await Promise.all(
					golds.map((g, i) =>
						window.evalRun({
							execlab: 1,
							type: 'score',
							id: `s${r}-${i}`,
							metric: 'spider-ex',
							db: g.db,
							gold: g.query,
							pred: g.query
						})
					)
				);
				const seconds = (performance.now() - t0) / 1000;
				verdicts = replies.filter((x) => x.result.ok).length;
				goldErrors = replies.filter((x) => x.result.error?.type === 'GoldQueryError').length;
				const wrong = replies.filter((x) => x.result.ok && x.result.score !== 1).length;
				if (wrong) throw new Error(`${wrong} golds did not match themselves`);
				// Round 0 warms the handler's lazy chunk and the worker; not counted.
				if (r > 0) perSec.push(verdicts / seconds);
			}
			return { perSec, verdicts, goldErrors };
		},
		[sample.golds, dbs, rounds]
	);
}

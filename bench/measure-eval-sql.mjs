// SQL evaluation figures on the Spider sample (../shared/data/spider, issue 14 Bench):
//   sql.vsNativeRatio: every Spider sample gold query run in the browser's SQL worker as the
//   scorer runs it (read-only, all rows, typed values, 16 queries a message), summed worker-side
//   time, over the same queries on the same files with better-sqlite3 in Node, in the same run,
//   after warm-up rounds. The wall time with the round trips is kept in extra as
//   sql.vsNativeRatioRoundTrip, the worker-side time of one query a message as
//   sql.vsNativeRatioOneByOne, and the first (warm-up) round as sql.vsNativeRatioFirstRound.
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

/** The ms better-sqlite3 takes to prepare and fetch every gold of `golds` once, and how many failed. */
function nativeRound(open, golds) {
	let failed = 0;
	const t0 = performance.now();
	for (const g of golds) {
		try {
			open[g.db].prepare(g.query).raw().all();
		} catch {
			failed++;
		}
	}
	return { ms: performance.now() - t0, failed };
}

/** Queries per message as the scorer sends them: src/runtime/eval-pool.ts sqlScorersPerWorker. */
export const scorerBatch = 16;

/** Rounds of every gold run on both sides before the measured ones (see {@link goldTimes}). */
export const warmupRounds = 10;

/**
 * The golds run round by round in the app page's SQL worker (globalThis.execlab.sql), then with
 * better-sqlite3 in Node, the same number of rounds after the same warm-up. Per worker round:
 * the summed worker-side durationMs of every gold run as the batch scorer runs it (read-only, all
 * rows, {@link scorerBatch} queries a message through execMany), the wall time of the round
 * including the round trips, and the summed worker-side time of the golds sent one exec per
 * message (`single`, the path before batching).
 *
 * The first {@link warmupRounds} rounds (about 1,000 queries on the sample) are not counted but
 * kept (`cold`): Chromium runs wasm first from a baseline compiler and optimises the functions
 * that turn out hot in the background, so a fresh worker's first round runs several times slower
 * and the next few up to 1.5x slower than the rest of a long evaluation (a Spider dev run with
 * its test suites executes tens of thousands of queries); eval-pool discards its first batches
 * for the same reason.
 */
export async function goldTimes(page, sample, rounds) {
	const dbs = Object.fromEntries(
		Object.entries(sample.dbs).map(([id, path]) => [id, [...readFileSync(path)]])
	);
	await page.evaluate(async (dbs) => {
		for (const [id, bytes] of Object.entries(dbs))
			await globalThis.execlab.sql.open(`bench-${id}`, new Uint8Array(bytes));
	}, dbs);
	const out = {
		worker: [],
		wall: [],
		single: [],
		native: [],
		cold: [],
		failed: 0,
		nativeFailed: 0
	};
	for (let r = -warmupRounds; r < rounds; r++) {
		const w = await page.evaluate(workerRound, [sample.golds, scorerBatch]);
		if (r < 0) {
			out.cold.push(w.worker);
			continue;
		}
		out.worker.push(w.worker);
		out.wall.push(w.wall);
		out.single.push(w.single);
		out.failed = w.failed;
	}
	// Natively after the browser rounds, while the browser is idle: run in between, the native
	// rounds met the browser's background work (its optimising compiler among it) and ran up to
	// 1.5x slower, which flattered the ratio.
	const open = openNative(sample);
	try {
		for (let r = -warmupRounds; r < rounds; r++) {
			const n = nativeRound(open, sample.golds);
			if (r < 0) continue;
			out.native.push(n.ms);
			out.nativeFailed = n.failed;
		}
		return out;
	} finally {
		for (const db of Object.values(open)) db.close();
	}
}

/** In the page: one round of every gold, batched as the scorer sends them, then one by one. */
async function workerRound([golds, batch]) {
	const sql = globalThis.execlab.sql;
	const options = (g) => ({ db: `bench-${g.db}`, maxRows: Number.MAX_SAFE_INTEGER });
	let worker = 0;
	let failed = 0;
	const t0 = performance.now();
	for (let i = 0; i < golds.length; i += batch) {
		const calls = golds.slice(i, i + batch).map((g) => ({ sql: g.query, options: options(g) }));
		for (const res of await sql.execMany(calls)) {
			worker += res.durationMs;
			if (!res.ok) failed++;
		}
	}
	const wall = performance.now() - t0;
	let single = 0;
	for (const g of golds) {
		single += (await sql.exec(g.query, { ...options(g), readOnly: true })).durationMs;
	}
	return { worker, wall, single, failed };
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

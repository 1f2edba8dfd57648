import { beforeAll, describe, expect, test } from 'vitest';
import type { SqlRuntime } from '../../src/core/runtime.ts';
import { batchedExec } from '../../src/core/eval/batched-exec.ts';
import { evalExecMatch } from '../../src/core/eval/spider-ex.ts';
import { birdEx } from '../../src/core/eval/bird-ex.ts';
import { choirBytes } from '../fixtures/choir-db.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

// batchedExec over the real engine (sql.js in Node). `counted` wraps the engine's runtime only to
// count the messages a worker would receive; every query runs on the real engine.
let runtime: NodeRuntime;
const messages = { exec: 0, execMany: 0, batchSizes: [] as number[] };

function counted(
	overrides: Partial<Pick<SqlRuntime, 'exec' | 'execMany'>> = {}
): Pick<SqlRuntime, 'exec' | 'execMany'> {
	return {
		exec(sql, options) {
			messages.exec++;
			return (overrides.exec ?? runtime.sql.exec.bind(runtime.sql))(sql, options);
		},
		execMany(calls, options) {
			messages.execMany++;
			messages.batchSizes.push(calls.length);
			return (overrides.execMany ?? runtime.sql.execMany.bind(runtime.sql))(calls, options);
		}
	};
}

const reset = () => Object.assign(messages, { exec: 0, execMany: 0, batchSizes: [] });
const read = { db: 'choir', readOnly: true, maxRows: Number.MAX_SAFE_INTEGER };
const queries = [
	'SELECT count(*) FROM sänger',
	'SELECT name FROM sänger ORDER BY name',
	'SELECT nope FROM sänger',
	'SELECT 1; SELECT 2',
	"SELECT 'x' || name FROM stadion",
	'DELETE FROM sänger; SELECT count(*) FROM sänger'
];

beforeAll(async () => {
	runtime = await nodeRuntime();
	await runtime.sql.open('choir', await choirBytes());
});

describe('batchedExec', () => {
	test('concurrent read-only calls go as one execMany and answer as exec does', async () => {
		reset();
		const batched = batchedExec(counted());
		const got = await Promise.all(queries.map((q) => batched.exec(q, read)));
		expect(messages).toMatchObject({ exec: 0, execMany: 1, batchSizes: [queries.length] });
		for (const [i, q] of queries.entries()) {
			const alone = await runtime.sql.exec(q, read);
			expect({ ...got[i], durationMs: 0 }, q).toEqual({ ...alone, durationMs: 0 });
		}
		// Read-only: the DELETE was rolled back.
		expect((await runtime.sql.exec('SELECT count(*) FROM sänger', read)).rows).toEqual(got[0].rows);
	});

	test('batches hold at most maxBatch calls; a lone call and a writing call go through exec', async () => {
		reset();
		const batched = batchedExec(counted(), { maxBatch: 4 });
		await Promise.all(Array.from({ length: 10 }, () => batched.exec(queries[0], read)));
		expect(messages.batchSizes).toEqual([4, 4, 2]);
		reset();
		await batched.exec(queries[0], read);
		const write = await batched.exec('CREATE TEMP TABLE t(a)', { db: 'choir' });
		expect(write.ok).toBe(true);
		expect(messages).toMatchObject({ exec: 2, execMany: 0 });
	});

	test('a call past its own limit is timed out by the engine; the others keep their rows', async () => {
		const slow =
			'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000) SELECT count(*) FROM c';
		const batched = batchedExec(counted());
		const [fast, late] = await Promise.all([
			batched.exec(queries[0], { ...read, timeoutMs: 60_000 }),
			batched.exec(slow, { ...read, timeoutMs: 1 })
		]);
		expect(fast.ok).toBe(true);
		expect(late).toMatchObject({
			ok: false,
			rows: [],
			error: { type: 'Timeout', message: 'SQL stopped after the 1 ms time limit' }
		});
	});

	test('a batch that fails (a crashed or hung worker) is rerun call by call, so only the culprit fails', async () => {
		reset();
		const crash = new Error('The SQL worker crashed (simulated)');
		const batched = batchedExec(
			counted({
				execMany: () => Promise.reject(crash),
				exec: (sql, options) =>
					sql.includes('__die__') ? Promise.reject(crash) : runtime.sql.exec(sql, options)
			})
		);
		const outcomes = await Promise.allSettled([
			batched.exec(queries[0], read),
			batched.exec("SELECT '__die__'", read),
			batched.exec(queries[2], read)
		]);
		expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect(messages).toMatchObject({ execMany: 1, exec: 3 });
	});

	test('an aborted signal rejects pending calls with its reason', async () => {
		const controller = new AbortController();
		const batched = batchedExec(counted(), { signal: controller.signal });
		const pending = Promise.all([batched.exec(queries[0], read), batched.exec(queries[1], read)]);
		controller.abort(new Error('cancelled by the user'));
		await expect(pending).rejects.toThrow('cancelled by the user');
	});

	test('Spider EX and BIRD EX verdicts through the batcher equal those through exec', async () => {
		const pairs: [string, string][] = [
			['SELECT name FROM sänger', 'SELECT name FROM sänger'],
			['SELECT name FROM sänger ORDER BY name', 'SELECT name FROM sänger ORDER BY name DESC'],
			['SELECT count(*) FROM sänger', 'SELECT count(*) FROM stadion'],
			['SELECT count(*) FROM sänger', 'SELECT nope'],
			['SELECT count(*) FROM sänger', 'SELECT 1; SELECT 2']
		];
		const batched = batchedExec(counted());
		const viaBatch = await Promise.all(
			pairs.flatMap(([gold, pred]) => [
				evalExecMatch(batched, ['choir'], pred, gold),
				birdEx(batched, 'choir', pred, gold)
			])
		);
		const alone = [];
		for (const [gold, pred] of pairs) {
			alone.push(await evalExecMatch(runtime.sql, ['choir'], pred, gold));
			alone.push(await birdEx(runtime.sql, 'choir', pred, gold));
		}
		expect(viaBatch).toEqual(alone);
		// Spider compares in order when the gold says ORDER BY; BIRD compares sets.
		expect(viaBatch.map((v) => v.score)).toEqual([1, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
	});
});

import { beforeAll, describe, expect, test } from 'vitest';
import { birdEx } from '../../src/core/rewards/bird-ex.ts';
import { intercodeSqlReward, roundHalfEven2 } from '../../src/core/rewards/intercode-sql.ts';
import { kendallTauB } from '../../src/core/rewards/kendall-tau.ts';
import { skyrlFormatValid, skyrlReward } from '../../src/core/rewards/skyrl.ts';
import { orderMatters, resultEq, stripDistinct } from '../../src/core/rewards/spider-ex.ts';
import type { SqlValue } from '../../workers/protocol.ts';
import { choirBytes, choirFacts } from '../fixtures/choir-db.ts';
import { describeRealData, readShared, spiderDb } from '../shared-data.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

interface SpiderItem {
	db_id: string;
	query: string;
	question: string;
}
let ex: NodeRuntime;
const run = (db: string, sql: string) =>
	ex.sql.exec(sql, { db, readOnly: true, maxRows: 1_000_000 });
const choir = choirFacts.db;

beforeAll(async () => {
	ex = await nodeRuntime();
	ex.sqlEngine.open(choir, await choirBytes());
});

/**
 * Runs each gold query; every one that runs must match itself (and its column permutation) and
 * not its perturbations. Returns how many ran and how many had rows to perturb.
 */
async function checkGoldSelfMatch(
	items: Pick<SpiderItem, 'db_id' | 'query'>[]
): Promise<{ ran: number; perturbedChecked: number }> {
	let ran = 0;
	let perturbedChecked = 0;
	for (const item of items) {
		const gold = await run(item.db_id, stripDistinct(item.query));
		if (!gold.ok) continue;
		ran++;
		const ordered = orderMatters(item.query);
		const rows = gold.rows;
		expect(resultEq(rows, rows, ordered)).toBe(true);
		// Column permutations never matter.
		if (rows.length && rows[0].length > 1)
			expect(
				resultEq(
					rows,
					rows.map((r) => [...r].reverse()),
					ordered
				)
			).toBe(true);
		if (rows.length > 1) {
			perturbedChecked++;
			expect(resultEq(rows, rows.slice(1), ordered)).toBe(false);
			// One rows[0] swapped for a second rows[1]: the same multiset only when the two rows are
			// equal, the same list only when every row is.
			const key = (r: SqlValue[]) => JSON.stringify(r);
			expect(resultEq(rows, [...rows.slice(1), rows[1]], ordered)).toBe(
				ordered ? rows.every((r) => key(r) === key(rows[0])) : key(rows[1]) === key(rows[0])
			);
			const reversed = [...rows].reverse();
			const sameOrder = reversed.every((r, i) => JSON.stringify(r) === JSON.stringify(rows[i]));
			expect(resultEq(rows, reversed, ordered)).toBe(!ordered || sameOrder);
		}
	}
	return { ran, perturbedChecked };
}

/** A reordered query is caught when order matters, and only then. */
async function expectReorderCaught(db: string, gold: string, pred: string): Promise<void> {
	const g = await run(db, gold);
	const p = await run(db, pred);
	expect(g.ok && p.ok && g.rows.length > 1).toBe(true);
	expect(resultEq(g.rows, p.rows, true)).toBe(false);
	expect(resultEq(g.rows, p.rows, false)).toBe(true);
}

describeRealData('Spider EX (result_eq) on the real Spider sample', () => {
	let dev: SpiderItem[] = [];
	beforeAll(() => {
		dev = JSON.parse(readShared('spider/dev-sample.json')) as SpiderItem[];
		for (const db of new Set(dev.map((d) => d.db_id))) ex.openDb(db, spiderDb(db));
	});

	test('every gold query that runs matches itself; perturbed results do not', async () => {
		const { ran, perturbedChecked } = await checkGoldSelfMatch(dev);
		expect(ran).toBeGreaterThan(90);
		expect(perturbedChecked).toBeGreaterThan(20);
	});

	test('a changed query against the real database is caught', () =>
		expectReorderCaught(
			'concert_singer',
			'SELECT name FROM sänger ORDER BY "alter" DESC',
			'SELECT name FROM sänger ORDER BY "alter" ASC'
		));

	test('1 on equal frozensets, 0 otherwise, −1 on bad format (real database)', () =>
		expectSkyrlRewards({ question: 'q', db: 'pets_1', gold: 'SELECT count(*) FROM haustiere' }));
});

describe('Spider EX (result_eq) on our choir database', () => {
	const queries = [
		'SELECT name FROM sänger ORDER BY jahrgang',
		'SELECT stimme, count(*) FROM sänger GROUP BY stimme ORDER BY count(*) DESC, stimme',
		'SELECT DISTINCT wohnort FROM sänger',
		'SELECT s.name, p.stück FROM anwesenheit a JOIN sänger s ON s.id = a.sänger_id JOIN probe p ON p.id = a.probe_id',
		'SELECT raum, count(*) AS n FROM probe GROUP BY raum',
		'SELECT name, jahrgang FROM sänger WHERE wohnort IS NULL',
		"SELECT stück FROM probe WHERE raum = 'Saal' ORDER BY datum DESC",
		'SELECT name FROM sänger WHERE id NOT IN (SELECT sänger_id FROM anwesenheit)',
		'SELECT max(jahrgang) - min(jahrgang) FROM sänger',
		'SELECT nope FROM sänger'
	];

	test('every gold query that runs matches itself; perturbed results do not', async () => {
		const { ran, perturbedChecked } = await checkGoldSelfMatch(
			queries.map((query) => ({ db_id: choir, query }))
		);
		// All but the one naming a missing column (the loop skips what does not run).
		expect(ran).toBe(queries.length - 1);
		expect(perturbedChecked).toBe(6);
	});

	test('a changed query against the database is caught', () =>
		expectReorderCaught(
			choir,
			'SELECT name FROM sänger ORDER BY jahrgang DESC',
			'SELECT name FROM sänger ORDER BY jahrgang ASC'
		));
});

describe('Spider EX helpers', () => {
	test('DISTINCT is stripped outside string literals only (parse.py keeps the spaces around it)', () => {
		expect(stripDistinct("SELECT DISTINCT name FROM t WHERE x = 'distinct'")).toBe(
			"SELECT  name FROM t WHERE x = 'distinct'"
		);
	});

	test('BIRD EX is set equality with column order kept', () => {
		const a: SqlValue[][] = [
			[1, 'a'],
			[2, 'b'],
			[2, 'b']
		];
		expect(
			birdEx(a, [
				[2, 'b'],
				[1, 'a']
			])
		).toBe(true);
		expect(
			birdEx(a, [
				['a', 1],
				['b', 2]
			])
		).toBe(false);
	});
});

describe('InterCode SQL reward', () => {
	test('Kendall τ-b agrees with scipy.stats.kendalltau', () => {
		// Values computed with scipy 1.17 on the same lists.
		expect(kendallTauB(['a', 'b', 'c', 'd'], ['a', 'c', 'b', 'd'])).toBeCloseTo(
			0.6666666666666669,
			12
		);
		expect(kendallTauB(['x', 'y', 'z'], ['z', 'y', 'x'])).toBe(-1);
		expect(kendallTauB(['a', 'a', 'b'], ['a', 'b', 'a'])).toBeCloseTo(-0.5, 12);
		expect(kendallTauB(['(1,)', '(2,)', '(3,)', '(10,)'], ['(10,)', '(1,)', '(2,)', '(3,)'])).toBe(
			0
		);
		expect(kendallTauB(['a'], ['a'])).toBeNaN();
	});

	test('IoU of multisets × τ, rounded; both empty → 1; an error → 0', () => {
		expect(intercodeSqlReward([[1], [2], [3]], [[1], [2], [3]])).toMatchObject({
			value: 1,
			repr: '1.0'
		});
		expect(intercodeSqlReward([], [])).toMatchObject({ value: 1, repr: '1' });
		expect(intercodeSqlReward('Error executing query: x', [[1]]).value).toBe(0);
		// IoU 2/4 = 0.5; common rows in reversed order → τ = −1 → −0.5.
		expect(intercodeSqlReward([[2], [1], [9]], [[1], [2], [3]]).value).toBe(-0.5);
		// One common row: τ undefined, IoU left unrounded.
		expect(intercodeSqlReward([[1], [7], [8]], [[1], [2], [3]]).value).toBeCloseTo(0.2, 15);
		expect(roundHalfEven2(0.125)).toBe(0.12);
		expect(roundHalfEven2(0.675)).toBe(0.68);
	});
});

describe('SkyRL reward', () => {
	test('format rules: one <solution>, a <think>, <think> after every </observation>', () => {
		expect(skyrlFormatValid('<think>a</think><solution> SELECT 1 </solution>')).toBe('SELECT 1');
		expect(skyrlFormatValid('<solution>SELECT 1</solution>')).toBeNull();
		expect(
			skyrlFormatValid(
				'<think>a</think><sql>x</sql>\n<observation>o</observation>\n<solution>s</solution>'
			)
		).toBeNull();
		expect(
			skyrlFormatValid('<think>a</think><solution>1</solution><solution>2</solution>')
		).toBeNull();
	});

	test('1 on equal frozensets, 0 otherwise, −1 on bad format (our database)', () =>
		expectSkyrlRewards({ question: 'q', db: choir, gold: 'SELECT count(*) FROM sänger' }));
});

/** SkyRL's reward on a real database: 1 for the gold, 0 for a wrong answer, −1 for no tags. */
async function expectSkyrlRewards(task: { question: string; db: string; gold: string }) {
	const gold = await run(task.db, task.gold);
	expect(gold.ok).toBe(true);
	const good = `<think>t</think><solution>${task.gold}</solution>`;
	expect((await skyrlReward(ex, task, good)).value).toBe(1);
	expect((await skyrlReward(ex, task, '<think>t</think><solution>SELECT 0</solution>')).value).toBe(
		0
	);
	expect((await skyrlReward(ex, task, 'no tags')).value).toBe(-1);
}

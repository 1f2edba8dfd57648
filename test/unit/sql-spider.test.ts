import { readFileSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SqlEngine } from '../../workers/sql-engine.ts';
import type { SqlValue } from '../../workers/protocol.ts';
import { choirFacts, choirFile } from '../fixtures/choir-db.ts';
import { describeRealData, readShared, spiderDb } from '../shared-data.ts';
import { nodeSqlEngine } from './sql-helpers.ts';

// sql.js against native SQLite (better-sqlite3) on the same files: on our choir database always,
// on the Spider sample where ../shared/data is present.

/** The class of an SQLite error message, e.g. "syntax error", "no such column". */
function errorClass(message: string): string {
	const known = [
		'syntax error',
		'no such table',
		'no such column',
		'no such function',
		'ambiguous column name',
		'misuse of aggregate',
		'wrong number of arguments',
		'incomplete input',
		'SELECTs to the left and right'
	];
	return known.find((k) => message.includes(k)) ?? `other: ${message}`;
}

type Outcome =
	| { ok: true; columns: string[]; rows: SqlValue[][] }
	| { ok: false; message: string; errorClass: string };

function native(db: Sqlite.Database, sql: string): Outcome {
	try {
		const stmt = db.prepare(sql).raw(true);
		const rows = (stmt.all() as unknown[][]).map((row) =>
			row.map((v) => (Buffer.isBuffer(v) ? new Uint8Array(v) : (v as SqlValue)))
		);
		return { ok: true, columns: stmt.columns().map((c) => c.name), rows };
	} catch (e) {
		const message = (e as Error).message;
		return { ok: false, message, errorClass: errorClass(message) };
	}
}

/** Whether a native "no such column: X" comes from a double-quoted string literal "X" in the query. */
function doubleQuotedLiteral(query: string, message: string): boolean {
	// SQLite ≥ 3.41 says: no such column: "Russia" - should this be a string literal in single-quotes?
	const column = /^no such column: "?([^"]*)"?(?: - should this be a string literal|$)/.exec(
		message
	)?.[1];
	return column !== undefined && query.includes(`"${column}"`);
}

let engine: SqlEngine;
const natives = new Map<string, Sqlite.Database>();

beforeAll(async () => {
	engine = await nodeSqlEngine();
});
afterAll(() => natives.forEach((db) => db.close()));

/** Opens a database file in sql.js and natively under one id. */
function openBoth(id: string, path: string): void {
	engine.open(id, readFileSync(path));
	natives.set(id, new Sqlite(path, { readonly: true, fileMustExist: true }));
}

/**
 * Runs every query in sql.js and natively and asserts identical outcomes; returns how many ran,
 * how many needed the double-quoted literal rewrite and how many failed in both.
 */
function compareWithNative(samples: { db_id: string; query: string }[]) {
	let ran = 0;
	let failedBoth = 0;
	let dqsCount = 0;
	const classes = new Map<string, number>();
	for (const { db_id, query } of samples) {
		let want = native(natives.get(db_id)!, query);
		const got = engine.exec(query, { db: db_id, readOnly: true, maxRows: 1_000_000 });
		const dqs = !want.ok && doubleQuotedLiteral(query, want.message);
		if (dqs) {
			// better-sqlite3 is built with SQLITE_DQS=0, sql.js (like Python's sqlite3, which Spider's
			// evaluation uses) keeps SQLite's default: "x" is a string when no column x exists. Compare
			// against native SQLite running the same query with the literal written in single quotes.
			want = native(
				natives.get(db_id)!,
				query.replace(/"([^"]*)"/g, (_, v: string) => `'${v.replaceAll("'", "''")}'`)
			);
			expect(want.ok, query).toBe(true);
			dqsCount++;
		}
		if (want.ok) {
			expect(got.error, query).toBeNull();
			expect(got.columns, query).toEqual(want.columns);
			// Same rows, same order, same values and types (toStrictEqual: 1 and '1' differ).
			expect(got.rows, query).toStrictEqual(want.rows);
			expect(got.rowCount).toBe(want.rows.length);
			ran++;
		} else {
			expect(got.ok, query).toBe(false);
			expect(errorClass(got.error!.message), query).toBe(want.errorClass);
			classes.set(want.errorClass, (classes.get(want.errorClass) ?? 0) + 1);
			failedBoth++;
		}
	}
	expect(ran + failedBoth).toBe(samples.length);
	return { ran, failedBoth, dqsCount, classes };
}

describe('sql.js against native SQLite on our choir database', () => {
	const queries = [
		'SELECT * FROM sänger ORDER BY id',
		'SELECT stimme, count(*) AS n, avg(jahrgang) FROM sänger GROUP BY stimme ORDER BY stimme',
		'SELECT s.name, p.stück, p.datum FROM anwesenheit a JOIN sänger s ON s.id = a.sänger_id JOIN probe p ON p.id = a.probe_id ORDER BY p.datum, s.name',
		"SELECT name FROM sänger WHERE wohnort IS NULL OR wohnort LIKE 'K%' ORDER BY name",
		'SELECT upper(name), length(name), substr(name, 1, 3) FROM sänger ORDER BY id',
		"SELECT raum, group_concat(stück, '; ') FROM probe GROUP BY raum ORDER BY raum",
		'SELECT nope FROM sänger',
		'SELECT * FROM chorleitung',
		'SELECT name FROM sänger WHERE'
	];

	beforeAll(async () => openBoth(choirFacts.db, await choirFile()));

	test('every query gives in sql.js exactly what native SQLite gives', () => {
		const { ran, failedBoth, classes } = compareWithNative(
			queries.map((query) => ({ db_id: choirFacts.db, query }))
		);
		expect(ran).toBe(6);
		expect(failedBoth).toBe(3);
		expect(Object.fromEntries(classes)).toEqual({
			'no such column': 1,
			'no such table': 1,
			'incomplete input': 1
		});
	});

	test('tables with non-ASCII names are introspected', () => {
		const schema = engine.schema(choirFacts.db);
		expect(schema.tables.map((t) => t.name).sort()).toEqual([...choirFacts.tables]);
		const singer = schema.tables.find((t) => t.name === 'sänger');
		expect(singer?.kind).toBe('table');
		expect(singer?.rowCount).toBe(choirFacts.singers);
		const probe = schema.tables.find((t) => t.name === 'probe');
		expect(probe?.columns.some((c) => c.name === 'stück')).toBe(true);
	});
});

describeRealData('sql.js against native SQLite on the Spider sample', () => {
	let samples: { db_id: string; query: string }[] = [];
	beforeAll(() => {
		samples = JSON.parse(readShared('spider/dev-sample.json'));
		for (const id of new Set(samples.map((s) => s.db_id))) openBoth(id, spiderDb(id));
	});

	test('every Spider gold query gives in sql.js exactly what native SQLite gives', () => {
		expect(samples.length).toBeGreaterThan(100);
		const { ran, failedBoth, dqsCount, classes } = compareWithNative(samples);
		console.log(
			`Spider dev sample: ${samples.length} gold queries, ${ran} run with identical results, ` +
				`(${dqsCount} of them with "double-quoted" string literals, which better-sqlite3 rejects: ` +
				`compared with their single-quoted form), ${failedBoth} fail in both with the same class (${[...classes].map(([c, n]) => `${c}: ${n}`).join(', ')})`
		);
		expect(ran).toBeGreaterThan(0);
	});

	test('the Spider tables with non-ASCII names are introspected', () => {
		const schema = engine.schema('concert_singer');
		const singer = schema.tables.find((t) => t.name === 'sänger');
		expect(singer?.kind).toBe('table');
		const count = natives.get('concert_singer')!.prepare('SELECT count(*) AS n FROM sänger').get();
		expect(singer?.rowCount).toBe((count as { n: number }).n);
		expect(singer?.columns.some((c) => c.name === 'jahr_der_veröffentlichung_des_liedes')).toBe(
			true
		);
	});
});

import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, test } from 'vitest';
import {
	buildSample,
	makeSamples,
	sampleSpecs,
	type BuiltSample
} from '../../scripts/make-samples.ts';
import { loadSqlEngine, type SqlEngine } from '../../workers/sql-engine.ts';
import { sqlWasmPath } from './sql-helpers.ts';

let SQL: SqlJsStatic;
let engine: SqlEngine;
const built = new Map<string, BuiltSample>();
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
	SQL = await initSqlJs({ locateFile: () => sqlWasmPath });
	engine = await loadSqlEngine(initSqlJs, { wasmURL: sqlWasmPath });
	for (const spec of sampleSpecs) {
		const sample = buildSample(SQL, spec);
		built.set(spec.name, sample);
		engine.open(spec.name, sample.bytes);
	}
});

describe('sample databases', () => {
	test('school and shop exist, with thousands of rows, and stay well under 1 MB', () => {
		expect([...built.keys()]).toEqual(['school', 'shop']);
		for (const { bytes, entry } of built.values()) {
			const total = entry.tables.reduce((n, t) => n + t.rows, 0);
			console.log(
				`${entry.name}: ${bytes.length} bytes, ${total} rows in ${entry.tables.length} tables`
			);
			expect(total).toBeGreaterThan(5000);
			expect(bytes.length).toBeLessThan(1024 * 1024);
		}
	});

	test('generation is deterministic (byte-identical on a second build)', () => {
		for (const spec of sampleSpecs) {
			expect(sha(buildSample(SQL, spec).bytes), spec.name).toBe(sha(built.get(spec.name)!.bytes));
		}
	});

	test('foreign keys are declared and every reference resolves', () => {
		for (const name of built.keys()) {
			const schema = engine.schema(name);
			const fks = schema.tables.flatMap((t) => t.foreignKeys);
			expect(fks.length, name).toBeGreaterThanOrEqual(5);
			const check = engine.exec('PRAGMA foreign_key_check', { db: name });
			expect(check.ok).toBe(true);
			expect(check.rowCount, name).toBe(0);
			expect(engine.exec('PRAGMA integrity_check', { db: name }).rows).toEqual([['ok']]);
			expect(schema.tables.some((t) => t.kind === 'view')).toBe(true);
		}
	});

	test('index entries describe the tables truthfully', () => {
		for (const { entry } of built.values()) {
			const schema = engine.schema(entry.name);
			for (const t of entry.tables) {
				expect(schema.tables.find((s) => s.name === t.name)?.rowCount).toBe(t.rows);
			}
			expect(entry.file).toBe(`${entry.name}.sqlite`);
			expect(entry.title.length).toBeGreaterThan(0);
		}
	});

	test('makeSamples writes the files and index.json, then skips when up to date', async () => {
		const outDir = mkdtempSync(join(tmpdir(), 'execlab-samples-'));
		expect(await makeSamples({ outDir })).toBe(2);
		expect(readdirSync(outDir).sort()).toEqual(['index.json', 'school.sqlite', 'shop.sqlite']);
		const index = JSON.parse(readFileSync(join(outDir, 'index.json'), 'utf8'));
		expect(index.map((e: { name: string }) => e.name)).toEqual(['school', 'shop']);
		expect(sha(readFileSync(join(outDir, 'shop.sqlite')))).toBe(sha(built.get('shop')!.bytes));
		expect(await makeSamples({ outDir })).toBe(0);
	});
});

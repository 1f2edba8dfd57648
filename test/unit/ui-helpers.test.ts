import { describe, expect, test } from 'vitest';
import { formatStartParams, parseStartParams } from '../../src/state/url-params.ts';
import {
	columnWidths,
	formatCell,
	numericColumns,
	visibleRows
} from '../../src/lib/grid-layout.ts';
import { statementLine } from '../../src/lib/sql-statements.ts';
import { debounce } from '../../src/state/persistence.ts';
import { mayWrite } from '../../src/state/saved-databases.ts';
import { dbNameFromFile } from '../../src/runtime/sql-files.ts';
import { OutputStream, type OutputChunk } from '../../src/lib/output-stream.ts';
import { describeLoad, formatBytes } from '../../src/state/load-status.ts';

describe('start parameters', () => {
	test('embed, language, code and sample come from the query string', () => {
		const p = parseStartParams(
			'?embed=1&lang=SQL&db=shop&step=1&code=' + encodeURIComponent('SELECT 1;\n')
		);
		expect(p).toEqual({ embed: true, lang: 'sql', code: 'SELECT 1;\n', db: 'shop', step: true });
	});
	test('absent or unknown values fall back to null/false', () => {
		expect(parseStartParams('')).toEqual({
			embed: false,
			lang: null,
			code: null,
			db: null,
			step: false
		});
		expect(parseStartParams('?step=0').step).toBe(false);
		expect(parseStartParams('?embed=0&lang=ruby').embed).toBe(false);
		expect(parseStartParams('?lang=ruby').lang).toBeNull();
	});
	test('a db name that could escape the samples folder is refused', () => {
		expect(parseStartParams('?db=../secret').db).toBeNull();
		expect(parseStartParams('?db=a%2Fb').db).toBeNull();
	});
	test('formatting round-trips', () => {
		const p = {
			embed: true,
			lang: 'python' as const,
			code: 'print("ä & b")',
			db: 'school',
			step: true
		};
		expect(parseStartParams(formatStartParams(p))).toEqual(p);
	});
});

describe('result grid layout', () => {
	test('only the rows in view (plus overscan) are rendered, at any scroll position', () => {
		expect(visibleRows(0, 260, 26, 1_000_000, 5)).toEqual({ start: 0, end: 16 });
		const mid = visibleRows(500_000 * 26, 260, 26, 1_000_000, 5);
		expect(mid).toEqual({ start: 499_995, end: 500_016 });
		expect(visibleRows(1e12, 260, 26, 1_000_000, 5).end).toBe(1_000_000);
		expect(visibleRows(0, 260, 26, 0)).toEqual({ start: 0, end: 0 });
	});
	test('cells show NULL, blobs and long text readably', () => {
		expect(formatCell(null)).toBe('NULL');
		expect(formatCell(new Uint8Array(3))).toBe('‹blob 3 B›');
		expect(formatCell('x'.repeat(600))).toHaveLength(501);
		expect(formatCell(2.5)).toBe('2.5');
	});
	test('widths come from a sample and are clamped; numeric columns are detected', () => {
		const rows = [
			[1, 'a', null],
			[22, 'x'.repeat(100), 'b']
		];
		expect(columnWidths(['id', 'text', 'n'], rows)).toEqual([6, 42, 7]);
		expect(numericColumns(['id', 'text', 'n'], rows)).toEqual([true, false, false]);
	});
});

describe('SQL statement lines', () => {
	const sql = "SELECT 1;\n-- a; comment\nSELECT ';' AS s;\n\n  SELEKT oops;\n/* x;\n y */ SELECT 3";
	test('maps a statement number to the line where it starts', () => {
		expect(statementLine(sql, 1)).toBe(1);
		expect(statementLine(sql, 2)).toBe(3);
		expect(statementLine(sql, 3)).toBe(5);
		expect(statementLine(sql, 4)).toBe(7);
		expect(statementLine(sql, 5)).toBeNull();
	});
});

describe('persistence helpers', () => {
	test('recognises SQL that may change the database', () => {
		expect(mayWrite('insert into t values (1)')).toBe(true);
		expect(mayWrite('SELECT * FROM t; CREATE TABLE u(x)')).toBe(true);
		expect(mayWrite("SELECT 'delete from t' -- update\n")).toBe(false);
		expect(mayWrite('PRAGMA table_info(t)')).toBe(false);
		expect(mayWrite('PRAGMA user_version = 3')).toBe(true);
	});
	test('debounce calls once with the last arguments, and flush runs it now', async () => {
		const calls: number[] = [];
		const d = debounce((n: number) => calls.push(n), 20);
		d(1);
		d(2);
		d(3);
		await new Promise((r) => setTimeout(r, 50));
		expect(calls).toEqual([3]);
		d(4);
		d.flush();
		expect(calls).toEqual([3, 4]);
	});
	test('file names become database names', () => {
		expect(dbNameFromFile('My Data (1).sqlite')).toBe('My_Data_1');
		expect(dbNameFromFile('.sqlite')).toBe('database');
	});
});

describe('output stream', () => {
	test('late subscribers get the kept chunks, then live ones; clear tells them', () => {
		const s = new OutputStream(10);
		s.push('stdout', 'hello ');
		s.push('stdout', '');
		s.push('stderr', 'world');
		const seen: (OutputChunk | null)[] = [];
		const off = s.subscribe((c) => seen.push(c));
		s.push('stdout', '!');
		expect(seen.map((c) => c?.text)).toEqual(['world', '!']);
		expect(s.text()).toBe('world!');
		s.clear();
		expect(seen.at(-1)).toBeNull();
		off();
		s.push('stdout', 'gone');
		expect(seen).toHaveLength(3);
	});
});

describe('status texts', () => {
	test('load stages and byte counts read naturally', () => {
		expect(describeLoad({ stage: 'download', progress: 0.421, detail: '' })).toBe(
			'downloading 42%'
		);
		expect(describeLoad({ stage: 'ready', progress: 1, detail: 'from snapshot' })).toBe(
			'ready (from snapshot)'
		);
		expect(formatBytes(30 * 1024 * 1024)).toBe('30 MB');
		expect(formatBytes(1536)).toBe('1.5 KB');
	});
});

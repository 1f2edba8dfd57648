import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { dataFrameToString, distinctRows } from '../../src/core/presets/dataframe-format.ts';
import { pyRowsRepr, pyStrRepr, pyFloatRepr } from '../../src/core/presets/python-repr.ts';
import type { SqlValue } from '../../workers/protocol.ts';

// Golden outputs of pandas 2.2.3 `pd.DataFrame(rows).to_string(index=False)`, generated once with
// real pandas (SkyRL-SQL's observation layout, skyrl_gym/tools/sql.py).
const golden = JSON.parse(
	readFileSync(new URL('./helpers/pandas-golden.json', import.meta.url), 'utf8')
) as { rows: SqlValue[][]; text: string }[];

describe('pandas to_string port', () => {
	test.each(golden.map((g, i) => [i, g] as const))('case %i matches pandas', (_i, g) => {
		expect(dataFrameToString(g.rows)).toBe(g.text);
	});

	test('frozenset semantics drop duplicate rows, 1 and 1.0 being equal', () => {
		expect(
			distinctRows([
				[1, 'a'],
				[1, 'a'],
				[2, 'a']
			])
		).toEqual([
			[1, 'a'],
			[2, 'a']
		]);
	});

	test('an integral REAL prints like an int: sql.js has one number type (pandas shows 1.0)', () => {
		expect(dataFrameToString([[1], [2]])).toBe(' 0\n 1\n 2');
	});

	test('named columns get the numeric-header space', () => {
		expect(dataFrameToString([[1, 'x']], ['n', 'name'])).toBe(' n name\n 1    x');
	});
});

describe('Python repr of cursor results (InterCode observations)', () => {
	test('tuples, strings, None and floats print as Python does', () => {
		expect(pyRowsRepr([['friend'], ['high schooler']])).toBe("[('friend',), ('high schooler',)]");
		expect(pyRowsRepr([[1934, 'Kyle', 12, null, 2.5]])).toBe("[(1934, 'Kyle', 12, None, 2.5)]");
		expect(pyStrRepr("it's")).toBe(`"it's"`);
		expect(pyStrRepr('a\'b"c')).toBe(`'a\\'b"c'`);
		expect(pyFloatRepr(1)).toBe('1.0');
		expect(pyFloatRepr(1e-7)).toBe('1e-07');
	});
});

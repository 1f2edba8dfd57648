import { beforeAll, describe, expect, test } from 'vitest';
import {
	comparePyStr,
	pyBytesRepr,
	pyFloatRepr,
	pyKey,
	pyRepr,
	pyStr,
	pyStrRepr,
	pyTupleRepr,
	pyTypeName
} from '../../src/core/eval/python-value.ts';
import initSqlJs from 'sql.js';
import { decodeUtf8Ignore } from '../../workers/utf8-ignore.ts';
import type { SqlEngine } from '../../workers/sql-engine.ts';
import type { SqlResultSet } from '../../workers/protocol.ts';
import { readRowWithBigInt, rowReader } from '../../workers/sql-typed-rows.ts';
import { nodeSqlEngine, sqlWasmPath } from './sql-helpers.ts';

// Every expected string below was printed ONCE by the real CPython 3.11.7 on this machine
// (`python3 /tmp/g/pyvals.py`: repr() of each value, str(type(x)), tuple reprs,
// bytes.decode(errors="ignore"), and sorted(row, key=lambda x: str(x) + str(type(x))), Spider's
// unorder_row) and recorded here; the values in the first column are the same doubles / strings.

const floatRepr: [number, string][] = [
	[2.0, '2.0'],
	[2e-5, '2e-05'],
	[1e16, '1e+16'],
	[1e15, '1000000000000000.0'],
	[123456789012345.6, '123456789012345.6'],
	[0.1, '0.1'],
	[1 / 3, '0.3333333333333333'],
	[-0.0, '-0.0'],
	[0.0, '0.0'],
	[1e-4, '0.0001'],
	[1.5e300, '1.5e+300'],
	[Infinity, 'inf'],
	[-Infinity, '-inf'],
	[5e-324, '5e-324'],
	[1.7976931348623157e308, '1.7976931348623157e+308'],
	[-2.5, '-2.5'],
	[100.0, '100.0'],
	[1234567.0, '1234567.0'],
	[0.00012345, '0.00012345'],
	[9999999999999998.0, '9999999999999998.0'],
	[1e22, '1e+22'],
	[1.2345678901234567e19, '1.2345678901234567e+19']
];

const strRepr: [string, string][] = [
	['plain', "'plain'"],
	["it's", '"it\'s"'],
	['say "hi"', '\'say "hi"\''],
	['both \' and "', "'both \\' and \"'"],
	['tab\tnew\nret\r', "'tab\\tnew\\nret\\r'"],
	['back\\slash', "'back\\\\slash'"],
	['\u0000\u001f\u007f', "'\\x00\\x1f\\x7f'"],
	['\u0080\u009f\u00a0\u00ad', "'\\x80\\x9f\\xa0\\xad'"],
	['caf\u00e9 \u00fcn\u00ef', "'caf\u00e9 \u00fcn\u00ef'"],
	['\u65e5\u672c\u8a9e', "'\u65e5\u672c\u8a9e'"],
	['\u2028\u2029', "'\\u2028\\u2029'"],
	['\u200b\ufeff', "'\\u200b\\ufeff'"],
	['\ud83d\ude00 emoji', "'\ud83d\ude00 emoji'"],
	['\ue000 private', "'\\ue000 private'"],
	['\udb40\udc01', "'\\U000e0001'"],
	['\udbff\udfff', "'\\U0010ffff'"],
	['\ud7ff', "'\\ud7ff'"]
];

const bytesRepr: [number[], string][] = [
	[[], "b''"],
	[[97, 98, 99], "b'abc'"],
	[[105, 116, 39, 115], 'b"it\'s"'],
	[[34, 113, 34], 'b\'"q"\''],
	[[39, 34], "b'\\'\"'"],
	[[0, 255, 9, 10, 13, 92], "b'\\x00\\xff\\t\\n\\r\\\\'"],
	[[30, 31, 32, 33, 126, 127, 128], "b'\\x1e\\x1f !~\\x7f\\x80'"]
];

const utf8Ignore: [number[], string][] = [
	[[111, 107], 'ok'],
	[[99, 97, 102, 195, 169], 'caf\u00e9'],
	[[255, 254, 65], 'A'],
	[[195], ''],
	[[195, 65], 'A'],
	[[226, 130, 65], 'A'],
	[[226, 130, 172], '\u20ac'],
	[[240, 128, 128, 65], 'A'],
	[[237, 160, 128, 66], 'B'],
	[[192, 128, 67], 'C'],
	[[244, 144, 128, 128, 68], 'D'],
	[[240, 159, 152, 128, 240, 159, 152], '\ud83d\ude00'],
	[[224, 128, 175, 69], 'E'],
	[[97, 0, 98, 128], 'a\u0000b'],
	[[239, 191, 189, 32, 114, 101, 97, 108], '\ufffd real']
];

/** Spider's unorder_row: sorted by str(x) + str(type(x)), compared as Python compares str. */
function unorder(row: unknown[], types: string): string {
	const cells = row.map((v, c) => ({ v, t: types[c] as 'i' }));
	const key = (x: (typeof cells)[number]) => pyStr(x.v as never, x.t) + pyTypeName(x.t);
	cells.sort((a, b) => comparePyStr(key(a), key(b)));
	return pyTupleRepr(
		cells.map((c) => c.v as never),
		cells.map((c) => c.t).join('')
	);
}

describe('values as Python prints them', () => {
	test('float repr', () => {
		for (const [x, expected] of floatRepr) expect(pyFloatRepr(x), String(x)).toBe(expected);
	});

	test('str repr and str', () => {
		for (const [s, expected] of strRepr) {
			expect(pyStrRepr(s)).toBe(expected);
			expect(pyStr(s, 't')).toBe(s);
		}
	});

	test('bytes repr (also their str)', () => {
		for (const [b, expected] of bytesRepr) {
			expect(pyBytesRepr(new Uint8Array(b))).toBe(expected);
			expect(pyStr(new Uint8Array(b), 'b')).toBe(expected);
		}
	});

	test('ints, including past 2^53, None, tuples and type names', () => {
		expect(pyRepr(0, 'i')).toBe('0');
		expect(pyRepr(-1, 'i')).toBe('-1');
		expect(pyRepr(9007199254740991, 'i')).toBe('9007199254740991');
		expect(pyRepr(9007199254740993n, 'i')).toBe('9007199254740993');
		expect(pyRepr(-9223372036854775808n, 'i')).toBe('-9223372036854775808');
		expect(pyRepr(null, 'n')).toBe('None');
		expect(pyTupleRepr([1], 'i')).toBe('(1,)');
		expect(pyTupleRepr([], '')).toBe('()');
		expect(pyTupleRepr([1, 'a', 2.0, null, new Uint8Array([120])], 'itrnb')).toBe(
			"(1, 'a', 2.0, None, b'x')"
		);
		expect(pyTupleRepr([3.0, 'x'], 'rt')).toBe("(3.0, 'x')");
		expect((['i', 'r', 't', 'b', 'n'] as const).map(pyTypeName)).toEqual([
			"<class 'int'>",
			"<class 'float'>",
			"<class 'str'>",
			"<class 'bytes'>",
			"<class 'NoneType'>"
		]);
	});

	test("Spider's unorder_row order (str(x) + str(type(x)), code point order)", () => {
		expect(unorder([3, '3.5'], 'it')).toBe("('3.5', 3)");
		expect(unorder([3.0, '3.5'], 'rt')).toBe("(3.0, '3.5')");
		expect(unorder(['\uff00', '\ud83d\ude00'], 'tt')).toBe("('\\uff00', '\ud83d\ude00')");
		expect(unorder([null, 'None', new Uint8Array([78])], 'ntb')).toBe("(None, 'None', b'N')");
		expect(unorder([10, 9, '10'], 'iit')).toBe("(10, '10', 9)");
		expect(unorder([2.5, 2, '2'], 'rit')).toBe("(2.5, 2, '2')");
	});

	test('equality keys follow Python ==: 3 == 3.0, str != bytes', () => {
		expect(pyKey(3, 'i')).toBe(pyKey(3.0, 'r'));
		expect(pyKey(0, 'i')).toBe(pyKey(-0.0, 'r'));
		expect(pyKey(9007199254740993n, 'i')).not.toBe(pyKey(9007199254740992, 'r'));
		expect(pyKey(2.5, 'r')).not.toBe(pyKey(2, 'i'));
		expect(pyKey('a', 't')).not.toBe(pyKey(new Uint8Array([97]), 'b'));
		expect(pyKey('None', 't')).not.toBe(pyKey(null, 'n'));
	});

	test('UTF-8 decoded as bytes.decode(errors="ignore")', () => {
		for (const [bytes, expected] of utf8Ignore) {
			expect(decodeUtf8Ignore(new Uint8Array(bytes)).text, String(bytes)).toBe(expected);
		}
	});
});

describe('the SQL engine keeps storage classes', () => {
	let engine: SqlEngine;
	beforeAll(async () => {
		engine = await nodeSqlEngine();
		engine.open('typed', new Uint8Array());
	});

	test('INTEGER, REAL, TEXT, BLOB and NULL are told apart; big integers stay exact', () => {
		const r = engine.exec(
			"SELECT 2, 2.0, '2', x'02', NULL, 9007199254740993, -9223372036854775808, 2e-5, CAST(3 AS REAL)",
			{ db: 'typed' }
		);
		expect(r.rows).toEqual([
			[2, 2, '2', new Uint8Array([2]), null, 9007199254740993n, -9223372036854775808n, 2e-5, 3]
		]);
		expect(r.types).toEqual(['irtbnii' + 'rr']);
		expect(r.sets[0].types).toEqual(r.types);
		expect(pyTupleRepr(r.rows[0], r.types[0])).toBe(
			"(2, 2.0, '2', b'\\x02', None, 9007199254740993, -9223372036854775808, 2e-05, 3.0)"
		);
		expect(r.invalidUtf8).toBeUndefined();
	});

	test('invalid UTF-8 text is decoded as Python ignore does, short and long, and flagged', () => {
		// CAST(x'..' AS TEXT) makes TEXT with exactly these bytes.
		const long = 'ab'.repeat(20);
		const hexLong = Buffer.from(long).toString('hex');
		const r = engine.exec(
			`SELECT CAST(x'e282410a' AS TEXT), CAST(x'${hexLong}ff${hexLong}' AS TEXT), CAST(x'efbfbd' AS TEXT)`,
			{ db: 'typed' }
		);
		expect(r.rows).toEqual([['A\n', long + long, '\ufffd']]);
		expect(r.types).toEqual(['ttt']);
		expect(r.invalidUtf8).toBe(true);
		const valid = engine.exec("SELECT CAST(x'efbfbd' AS TEXT), 'caf\u00e9'", { db: 'typed' });
		expect(valid.rows).toEqual([['\ufffd', 'caf\u00e9']]);
		expect(valid.invalidUtf8).toBeUndefined();
	});

	test('types follow rows through maxRows and several statements', () => {
		const r = engine.exec('SELECT 1; SELECT 1.5 UNION ALL SELECT 2 UNION ALL SELECT NULL', {
			db: 'typed',
			maxRows: 2
		});
		expect(r.sets.map((s) => s.types)).toEqual([['i'], ['r', 'i']]);
		expect(r.rowCount).toBe(3);
		expect(r.truncated).toBe(true);
	});
});

describe('the two row readers', () => {
	test('the installed sql.js gets the fast reader, and both read every class alike', async () => {
		const SQL = await initSqlJs({ locateFile: () => sqlWasmPath });
		const db = new SQL.Database();
		const fast = rowReader(SQL, db);
		expect(fast).not.toBe(readRowWithBigInt);
		db.run(
			"CREATE TABLE t(v); INSERT INTO t VALUES (1), (-0.0), (2.0), (9007199254740993), (-9223372036854775808), (1e300), ('x'), (x'00'), (NULL), (CAST(x'ff41' AS TEXT))"
		);
		const read = (reader: typeof fast) => {
			const stmt = db.prepare('SELECT v, typeof(v) FROM t');
			const set = {
				columns: [],
				rows: [],
				types: [],
				rowCount: 0,
				truncated: false
			} as SqlResultSet;
			const out = [];
			while (stmt.step()) out.push(reader(stmt, set));
			stmt.free();
			return { out, invalid: set.invalidUtf8 };
		};
		const a = read(fast);
		expect(a).toEqual(read(readRowWithBigInt));
		expect(a.out.map((r) => r.types[0])).toEqual([
			'i',
			'r',
			'r',
			'i',
			'i',
			'r',
			't',
			'b',
			'n',
			't'
		]);
		expect(a.out.map((r) => r.row[0])).toEqual([
			1,
			-0,
			2,
			9007199254740993n,
			-9223372036854775808n,
			1e300,
			'x',
			new Uint8Array([0]),
			null,
			'A'
		]);
		expect(a.invalid).toBe(true);
		db.close();
	});
});

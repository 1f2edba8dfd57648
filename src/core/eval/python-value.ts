// SQL values as the official evaluators see them: Python's sqlite3 turns INTEGER into int, REAL
// into float, TEXT into str, BLOB into bytes and NULL into None, and the evaluators compare, hash,
// print and sort those. The storage class comes from the SQL worker's `types` letters.
import type { SqlTypeLetter, SqlValue } from '../../../workers/protocol.ts';

/** Rows of a SQL result with the storage class of each value (`types[r][c]`, see SqlResultSet). */
export interface TypedRows {
	rows: readonly (readonly SqlValue[])[];
	types: readonly string[];
}

const typeNames: Record<SqlTypeLetter, string> = {
	i: "<class 'int'>",
	r: "<class 'float'>",
	t: "<class 'str'>",
	b: "<class 'bytes'>",
	n: "<class 'NoneType'>"
};

/** `str(type(x))` for a value of this storage class, e.g. `<class 'float'>`. */
export function pyTypeName(type: SqlTypeLetter): string {
	return typeNames[type];
}

/** Python's `repr(float)`: the shortest string that round-trips, in Python's layout (`2.0`, `1e-05`). */
export function pyFloatRepr(x: number): string {
	if (Number.isNaN(x)) return 'nan';
	if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
	if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
	// toExponential() with no argument gives the shortest round-trip digits, like Python's repr.
	const [mantissa, expText] = x.toExponential().split('e');
	const exp = Number(expText);
	const sign = mantissa.startsWith('-') ? '-' : '';
	const digits = mantissa.replace('-', '').replace('.', '');
	// float_repr_style 'short': scientific when the decimal point is before -4 or after 16 digits.
	if (exp < -4 || exp >= 16) {
		const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
		const e = Math.abs(exp).toString().padStart(2, '0');
		return `${sign}${digits[0]}${rest}e${exp < 0 ? '-' : '+'}${e}`;
	}
	if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
	const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
	const frac = digits.slice(exp + 1);
	return `${sign}${whole}.${frac || '0'}`;
}

/** Python's `repr(int)` of an INTEGER value (a safe number or a bigint). */
function intText(v: SqlValue): string {
	return typeof v === 'bigint' ? v.toString() : BigInt(v as number).toString();
}

// Python's str.isprintable() is false for these categories (the space excepted).
const nonPrintable = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function escapeChar(cp: number): string {
	const hex = cp.toString(16);
	if (cp < 0x100) return `\\x${hex.padStart(2, '0')}`;
	if (cp < 0x10000) return `\\u${hex.padStart(4, '0')}`;
	return `\\U${hex.padStart(8, '0')}`;
}

/** Python's `repr(str)`: quotes chosen as Python chooses them, non-printable characters escaped. */
export function pyStrRepr(text: string): string {
	const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
	let out = quote;
	for (const ch of text) {
		const cp = ch.codePointAt(0)!;
		if (ch === quote || ch === '\\') out += `\\${ch}`;
		else if (ch === '\t') out += '\\t';
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (cp < 0x20 || cp === 0x7f) out += escapeChar(cp);
		else if (cp >= 0x80 && ch !== ' ' && nonPrintable.test(ch)) out += escapeChar(cp);
		else out += ch;
	}
	return out + quote;
}

/** Python's `repr(bytes)` (also its `str()`): `b'...'`, printable ASCII kept, the rest `\xhh`. */
export function pyBytesRepr(bytes: Uint8Array): string {
	let hasSingle = false;
	let hasDouble = false;
	for (const b of bytes) {
		if (b === 0x27) hasSingle = true;
		else if (b === 0x22) hasDouble = true;
	}
	const quote = hasSingle && !hasDouble ? '"' : "'";
	let out = `b${quote}`;
	for (const b of bytes) {
		const ch = String.fromCharCode(b);
		if (ch === quote || ch === '\\') out += `\\${ch}`;
		else if (b === 0x09) out += '\\t';
		else if (b === 0x0a) out += '\\n';
		else if (b === 0x0d) out += '\\r';
		else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
		else out += ch;
	}
	return out + quote;
}

/** Python's `str(x)` of a SQL value of the given storage class. */
export function pyStr(value: SqlValue, type: SqlTypeLetter): string {
	if (type === 't') return value as string;
	return pyRepr(value, type);
}

/** Python's `repr(x)` of a SQL value of the given storage class. */
export function pyRepr(value: SqlValue, type: SqlTypeLetter): string {
	switch (type) {
		case 'n':
			return 'None';
		case 'i':
			return intText(value);
		case 'r':
			return pyFloatRepr(value as number);
		case 't':
			return pyStrRepr(value as string);
		case 'b':
			return pyBytesRepr(value as Uint8Array);
	}
}

/** Python's `repr(tuple)` (also its `str()`) of a row: `(1, 'a')`, `(1,)`, `()`. */
export function pyTupleRepr(row: readonly SqlValue[], types: string): string {
	const parts = row.map((v, c) => pyRepr(v, types[c] as SqlTypeLetter));
	return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

/**
 * A key equal for two values exactly when Python's `==` holds (so also for hashing into sets and
 * dicts): an int and a float are equal when they are the same number (`3 == 3.0`, `0 == -0.0`),
 * str never equals bytes. NaN, which SQLite never returns, gets one key.
 */
export function pyKey(value: SqlValue, type: SqlTypeLetter): string {
	switch (type) {
		case 'n':
			return 'N';
		case 'i':
			return `n${intText(value)}`;
		case 'r': {
			const x = value as number;
			if (Number.isInteger(x)) return `n${BigInt(x).toString()}`;
			return `f${pyFloatRepr(x)}`;
		}
		case 't':
			return `s${value as string}`;
		case 'b':
			return `b${Array.from(value as Uint8Array, (b) => b.toString(16).padStart(2, '0')).join('')}`;
	}
}

/** A key equal for two rows exactly when Python's tuple `==` holds. */
export function pyRowKey(row: readonly SqlValue[], types: string): string {
	return JSON.stringify(row.map((v, c) => pyKey(v, types[c] as SqlTypeLetter)));
}

/** Compares two strings as Python does (by code point; JS's `<` compares UTF-16 code units). */
export function comparePyStr(a: string, b: string): number {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) {
		const x = a.charCodeAt(i);
		const y = b.charCodeAt(i);
		if (x === y) continue;
		// Below U+D800 and above U+DFFF code units order like code points; a surrogate (an astral
		// character) sorts after every BMP character, which code units get wrong against U+E000+.
		const sx = x >= 0xd800 && x <= 0xdfff;
		const sy = y >= 0xd800 && y <= 0xdfff;
		if (sx !== sy) return sx ? 1 : -1;
		return x - y;
	}
	return a.length - b.length;
}

// Python values as the trace formats see them: what `json.loads` gives and `json.dumps` writes
// (SemCoder's annotations, CodeRL+'s answers), with Python's `str()` and `==` on them.
import { pyFloatRepr, pyStrRepr } from '../eval/python-value.ts';

/** A value `json.loads` can return: None, bool, int, float, str, list or dict (insertion order). */
export type PyValue =
	null | boolean | string | { int: bigint } | { float: number } | PyValue[] | Map<string, PyValue>;

/** Thrown where Python's `json.loads` raises JSONDecodeError. */
export class PyJsonError extends Error {}

/** Python's `json.loads` (strict: no control characters in strings; NaN and Infinity accepted). */
export function pyJsonLoads(text: string): PyValue {
	const reader = { text, at: 0 };
	skipSpace(reader);
	const value = readValue(reader);
	skipSpace(reader);
	if (reader.at !== text.length) throw new PyJsonError('Extra data');
	return value;
}

type Reader = { text: string; at: number };

function skipSpace(r: Reader): void {
	while (r.at < r.text.length && ' \t\n\r'.includes(r.text[r.at])) r.at++;
}

const numberPattern = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const constants: [string, PyValue][] = [
	['null', null],
	['true', true],
	['false', false],
	['NaN', { float: NaN }],
	['Infinity', { float: Infinity }],
	['-Infinity', { float: -Infinity }]
];

function readValue(r: Reader): PyValue {
	const ch = r.text[r.at];
	if (ch === '"') return readString(r);
	if (ch === '[') return readList(r);
	if (ch === '{') return readDict(r);
	for (const [word, value] of constants) {
		if (r.text.startsWith(word, r.at)) {
			r.at += word.length;
			return value;
		}
	}
	numberPattern.lastIndex = r.at;
	const m = numberPattern.exec(r.text);
	if (!m) throw new PyJsonError('Expecting value');
	r.at += m[0].length;
	return m[1] || m[2] ? { float: Number(m[0]) } : { int: BigInt(m[0]) };
}

const escapes: Record<string, string> = {
	'"': '"',
	'\\': '\\',
	'/': '/',
	b: '\b',
	f: '\f',
	n: '\n',
	r: '\r',
	t: '\t'
};

function readString(r: Reader): string {
	let out = '';
	r.at++;
	for (;;) {
		if (r.at >= r.text.length) throw new PyJsonError('Unterminated string');
		const ch = r.text[r.at++];
		if (ch === '"') return out;
		if (ch.charCodeAt(0) < 0x20) throw new PyJsonError('Invalid control character');
		if (ch !== '\\') {
			out += ch;
			continue;
		}
		const e = r.text[r.at++];
		if (e === 'u') {
			const hex = r.text.slice(r.at, r.at + 4);
			if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PyJsonError('Invalid \\uXXXX escape');
			out += String.fromCharCode(parseInt(hex, 16));
			r.at += 4;
		} else if (e !== undefined && Object.hasOwn(escapes, e)) out += escapes[e];
		else throw new PyJsonError('Invalid \\escape');
	}
}

function readList(r: Reader): PyValue[] {
	const out: PyValue[] = [];
	r.at++;
	skipSpace(r);
	if (r.text[r.at] === ']') {
		r.at++;
		return out;
	}
	for (;;) {
		skipSpace(r);
		out.push(readValue(r));
		skipSpace(r);
		const ch = r.text[r.at++];
		if (ch === ']') return out;
		if (ch !== ',') throw new PyJsonError("Expecting ',' delimiter");
	}
}

function readDict(r: Reader): Map<string, PyValue> {
	const out = new Map<string, PyValue>();
	r.at++;
	skipSpace(r);
	if (r.text[r.at] === '}') {
		r.at++;
		return out;
	}
	for (;;) {
		skipSpace(r);
		if (r.text[r.at] !== '"') throw new PyJsonError('Expecting property name');
		const key = readString(r);
		skipSpace(r);
		if (r.text[r.at++] !== ':') throw new PyJsonError("Expecting ':' delimiter");
		skipSpace(r);
		out.set(key, readValue(r));
		skipSpace(r);
		const ch = r.text[r.at++];
		if (ch === '}') return out;
		if (ch !== ',') throw new PyJsonError("Expecting ',' delimiter");
	}
}

/** Python's `json.dumps(value)` with its defaults (ensure_ascii, `', '` and `': '`). */
export function pyJsonDumps(value: PyValue): string {
	if (value === null) return 'null';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'string') return jsonString(value);
	if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
	if (value instanceof Map) {
		const items = [...value].map(([k, v]) => `${jsonString(k)}: ${pyJsonDumps(v)}`);
		return `{${items.join(', ')}}`;
	}
	if ('int' in value) return value.int.toString();
	const f = value.float;
	if (Number.isNaN(f)) return 'NaN';
	if (!Number.isFinite(f)) return f > 0 ? 'Infinity' : '-Infinity';
	return pyFloatRepr(f);
}

function jsonString(text: string): string {
	let out = '"';
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		const code = text.charCodeAt(i);
		if (ch === '"' || ch === '\\') out += `\\${ch}`;
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (ch === '\b') out += '\\b';
		else if (ch === '\f') out += '\\f';
		else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
		else out += ch;
	}
	return out + '"';
}

/** Python's `repr()` of a value. */
export function pyReprOf(value: PyValue): string {
	if (typeof value === 'string') return pyStrRepr(value);
	return pyStrOf(value);
}

/** Python's `str()` of a value. */
export function pyStrOf(value: PyValue): string {
	if (value === null) return 'None';
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return `[${value.map(pyReprOf).join(', ')}]`;
	if (value instanceof Map) {
		return `{${[...value].map(([k, v]) => `${pyStrRepr(k)}: ${pyReprOf(v)}`).join(', ')}}`;
	}
	if ('int' in value) return value.int.toString();
	return pyFloatRepr(value.float);
}

// bool and int and float compare by value in Python (True == 1 == 1.0).
function numeric(value: PyValue): { int: bigint } | { float: number } | null {
	if (typeof value === 'boolean') return { int: value ? 1n : 0n };
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		if (value instanceof Map) return null;
		return value;
	}
	return null;
}

function numbersEqual(a: { int: bigint } | { float: number }, b: typeof a): boolean {
	if ('int' in a && 'int' in b) return a.int === b.int;
	if ('float' in a && 'float' in b) return a.float === b.float;
	const i = 'int' in a ? a.int : (b as { int: bigint }).int;
	const f = 'float' in a ? a.float : (b as { float: number }).float;
	return Number.isInteger(f) && BigInt(f) === i;
}

/** Python's `a == b` on two decoded values (separately decoded, so NaN never equals itself). */
export function pyEquals(a: PyValue, b: PyValue): boolean {
	const na = numeric(a);
	const nb = numeric(b);
	if (na || nb) return na !== null && nb !== null && numbersEqual(na, nb);
	if (a === null || b === null) return a === b;
	if (typeof a === 'string' || typeof b === 'string') return a === b;
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		return a.every((x, i) => pyEquals(x, b[i]));
	}
	const ma = a as Map<string, PyValue>;
	const mb = b as Map<string, PyValue>;
	if (ma.size !== mb.size) return false;
	return [...ma].every(([k, v]) => mb.has(k) && pyEquals(v, mb.get(k)!));
}

// Python's str.isspace() characters JavaScript's \s lacks (the separators U+001C-U+001F, NEL).
const extraSpace = new Set([0x1c, 0x1d, 0x1e, 0x1f, 0x85]);

function isPySpace(ch: string): boolean {
	return ch !== '\ufeff' && (/\s/u.test(ch) || extraSpace.has(ch.charCodeAt(0)));
}

/** Python's `str.strip()`: JavaScript's whitespace minus U+FEFF, plus U+001C-U+001F and U+0085. */
export function pyStrip(text: string): string {
	let start = 0;
	let end = text.length;
	while (start < end && isPySpace(text[start])) start++;
	while (end > start && isPySpace(text[end - 1])) end--;
	return text.slice(start, end);
}

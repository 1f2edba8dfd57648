// A repr read back as a value: Python literals (None, bool, int, float, str, list, tuple, dict
// with str keys) become the value json would carry; anything else stays its repr text.
import type { PyValue } from './py-json.ts';

type Reader = { text: string; at: number };

class NotLiteral extends Error {}

/** The value a Python repr spells, or the repr itself when it is not such a literal. */
export function reprValue(repr: string): PyValue {
	try {
		const r = { text: repr, at: 0 };
		const value = literal(r);
		space(r);
		if (r.at !== repr.length) throw new NotLiteral();
		return value;
	} catch (error) {
		if (error instanceof NotLiteral) return repr;
		throw error;
	}
}

function space(r: Reader): void {
	while (r.text[r.at] === ' ') r.at++;
}

const words: [string, PyValue][] = [
	['None', null],
	['True', true],
	['False', false]
];
const numberPattern = /-?(\d+)(\.\d*)?([eE][-+]?\d+)?/y;

function literal(r: Reader): PyValue {
	space(r);
	const ch = r.text[r.at];
	if (ch === "'" || ch === '"') return str(r, ch);
	if (ch === '[') return items(r, ']');
	if (ch === '(') return items(r, ')');
	if (ch === '{') return dict(r);
	for (const [word, value] of words) {
		if (r.text.startsWith(word, r.at)) {
			r.at += word.length;
			return value;
		}
	}
	numberPattern.lastIndex = r.at;
	const m = numberPattern.exec(r.text);
	if (!m) throw new NotLiteral();
	r.at += m[0].length;
	return m[2] || m[3] ? { float: Number(m[0]) } : { int: BigInt(m[0]) };
}

const escapes: Record<string, string> = {
	'\\': '\\',
	"'": "'",
	'"': '"',
	n: '\n',
	r: '\r',
	t: '\t',
	a: '\x07',
	b: '\b',
	f: '\f',
	v: '\v',
	'0': '\0'
};
const hexLength: Record<string, number> = { x: 2, u: 4, U: 8 };

function str(r: Reader, quote: string): string {
	let out = '';
	r.at++;
	for (;;) {
		const ch = r.text[r.at++];
		if (ch === undefined) throw new NotLiteral();
		if (ch === quote) return out;
		if (ch !== '\\') {
			out += ch;
			continue;
		}
		const e = r.text[r.at++];
		if (e !== undefined && Object.hasOwn(escapes, e)) out += escapes[e];
		else if (e !== undefined && Object.hasOwn(hexLength, e)) {
			const hex = r.text.slice(r.at, r.at + hexLength[e]);
			if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength[e]) throw new NotLiteral();
			out += String.fromCodePoint(parseInt(hex, 16));
			r.at += hex.length;
		} else throw new NotLiteral();
	}
}

function items(r: Reader, close: string): PyValue[] {
	const out: PyValue[] = [];
	r.at++;
	for (;;) {
		space(r);
		if (r.text[r.at] === close) {
			r.at++;
			return out;
		}
		out.push(literal(r));
		space(r);
		if (r.text[r.at] === ',') r.at++;
		else if (r.text[r.at] !== close) throw new NotLiteral();
	}
}

function dict(r: Reader): Map<string, PyValue> {
	const out = new Map<string, PyValue>();
	r.at++;
	for (;;) {
		space(r);
		if (r.text[r.at] === '}') {
			r.at++;
			return out;
		}
		const key = literal(r);
		if (typeof key !== 'string') throw new NotLiteral();
		space(r);
		if (r.text[r.at++] !== ':') throw new NotLiteral();
		out.set(key, literal(r));
		space(r);
		if (r.text[r.at] === ',') r.at++;
		else if (r.text[r.at] !== '}') throw new NotLiteral();
	}
}

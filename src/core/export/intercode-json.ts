// JSON as Python's json module writes and reads it, where an int and a float differ: InterCode's
// logs hold rewards like `0` (an int) beside `1.0` (a float), and `json.dump(..., indent=2)`
// writes them apart. Our own TypeScript after CPython's json/encoder.py.
import { pyJsonString } from '../eval/prediction-files.ts';
import { pyFloatRepr } from '../eval/python-value.ts';

/** A Python float inside a value for {@link pyJsonDumps} (a bare JS number is written as an int). */
export class PyFloat {
	constructor(readonly value: number) {}
}

/** A value {@link pyJsonDumps} can write. */
export type PyJson =
	| null
	| boolean
	| number
	| string
	| PyFloat
	| readonly PyJson[]
	| { readonly [key: string]: PyJson | undefined };

/** `float.__repr__` as json writes it (`NaN`, `Infinity` where Python's repr says nan, inf). */
function floatText(x: number): string {
	if (Number.isNaN(x)) return 'NaN';
	if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
	return pyFloatRepr(x);
}

/**
 * `json.dumps(value, indent=indent)`: keys in insertion order, `", "`-free separators (`,` and
 * `: `), non-ASCII escaped, floats as Python's repr; keys whose value is undefined are left out.
 */
export function pyJsonDumps(value: PyJson, indent = 2, level = 0): string {
	if (value === null) return 'null';
	if (value === true) return 'true';
	if (value === false) return 'false';
	if (typeof value === 'string') return pyJsonString(value);
	if (typeof value === 'number') {
		if (!Number.isInteger(value))
			throw new RangeError(`${value} is not an int (wrap floats in PyFloat)`);
		return value.toFixed(0);
	}
	if (value instanceof PyFloat) return floatText(value.value);
	const pad = ' '.repeat(indent * (level + 1));
	const end = `\n${' '.repeat(indent * level)}`;
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		const items = value.map((v: PyJson) => pad + pyJsonDumps(v, indent, level + 1));
		return `[\n${items.join(',\n')}${end}]`;
	}
	const entries = Object.entries(value as Record<string, PyJson | undefined>).filter(
		([, v]) => v !== undefined
	);
	if (entries.length === 0) return '{}';
	const items = entries.map(
		([k, v]) => `${pad}${pyJsonString(k)}: ${pyJsonDumps(v as PyJson, indent, level + 1)}`
	);
	return `{\n${items.join(',\n')}${end}}`;
}

/** Where a parsed JSON text held a float literal (`1.0`, `2e-05`, `NaN`): JSON paths as keys. */
export type FloatPaths = ReadonlySet<string>;

/** The key {@link FloatPaths} uses for a path. */
export const pathKey = (path: readonly (string | number)[]): string =>
	JSON.stringify(path.map(String));

/** Why a text is not JSON: where and what. */
export class PyJsonSyntaxError extends Error {
	override name = 'PyJsonSyntaxError';
}

/**
 * `json.loads` keeping what JSON.parse loses: the paths of float literals. Accepts Python's NaN,
 * Infinity and -Infinity; a repeated key keeps its first place and last value, as a dict does.
 */
export function parsePyJson(text: string): { value: unknown; floats: FloatPaths } {
	const floats = new Set<string>();
	let pos = 0;
	const fail = (why: string): never => {
		throw new PyJsonSyntaxError(`${why} at offset ${pos}`);
	};
	const space = () => {
		while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
	};
	const token = (re: RegExp): string | null => {
		re.lastIndex = pos;
		const m = re.exec(text);
		if (!m) return null;
		pos += m[0].length;
		return m[0];
	};
	const value = (path: (string | number)[]): unknown => {
		space();
		const c = text[pos];
		if (c === '{') {
			pos++;
			const out: Record<string, unknown> = {};
			space();
			if (text[pos] === '}') return (pos++, out);
			for (;;) {
				space();
				const raw = token(stringRe) ?? fail('expected a string key');
				const key = JSON.parse(raw) as string;
				space();
				if (text[pos++] !== ':') fail('expected ":"');
				out[key] = value([...path, key]);
				space();
				const sep = text[pos++];
				if (sep === '}') return out;
				if (sep !== ',') fail('expected "," or "}"');
			}
		}
		if (c === '[') {
			pos++;
			const out: unknown[] = [];
			space();
			if (text[pos] === ']') return (pos++, out);
			for (;;) {
				out.push(value([...path, out.length]));
				space();
				const sep = text[pos++];
				if (sep === ']') return out;
				if (sep !== ',') fail('expected "," or "]"');
			}
		}
		if (c === '"') return JSON.parse(token(stringRe) ?? fail('bad string'));
		const lit = token(literalRe) ?? fail('expected a value');
		if (lit === 'true' || lit === 'false' || lit === 'null') return JSON.parse(lit);
		if (/[.eEaI]/.test(lit)) floats.add(pathKey(path));
		if (lit === 'NaN') return NaN;
		if (lit.endsWith('Infinity')) return lit.startsWith('-') ? -Infinity : Infinity;
		return Number(lit);
	};
	try {
		const v = value([]);
		space();
		if (pos !== text.length) fail('text after the value');
		return { value: v, floats };
	} catch (e) {
		// Nesting deep enough to exhaust the stack is not JSON we read.
		if (e instanceof RangeError) throw new PyJsonSyntaxError('nested too deeply');
		if (e instanceof SyntaxError) throw new PyJsonSyntaxError(`${e.message} at offset ${pos}`);
		throw e;
	}
}

const stringRe = /"(?:[^"\\]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const literalRe = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity/y;

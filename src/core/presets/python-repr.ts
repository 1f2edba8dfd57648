import type { SqlValue } from '../../../workers/protocol.ts';

// Python's repr() of the values a DB-API cursor returns, so observations read as InterCode's
// `str(cursor.fetchall())` (princeton-nlp/intercode intercode/envs/sql/sql_env.py). sql.js gives
// one JS number for INTEGER and REAL, so an integral REAL prints as `1` where Python prints `1.0`.

/** Python's repr() of a str. */
export function pyStrRepr(s: string): string {
	const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
	let out = quote;
	for (const ch of s) {
		const code = ch.codePointAt(0)!;
		if (ch === '\\') out += '\\\\';
		else if (ch === quote) out += `\\${quote}`;
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
		else out += ch;
	}
	return out + quote;
}

/** Python's repr() of a float (shortest round-trip digits, `.0` for integral values, `inf`, `nan`). */
export function pyFloatRepr(x: number): string {
	if (Number.isNaN(x)) return 'nan';
	if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
	if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
	const s = String(x);
	// JS writes 1e+21 and 1e-7; Python writes 1e+21 and 1e-07.
	return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Python's repr() of an SQL value as a DB-API driver returns it. */
export function pyValueRepr(value: SqlValue): string {
	if (value === null) return 'None';
	if (typeof value === 'string') return pyStrRepr(value);
	if (typeof value === 'number')
		return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
	if (typeof value === 'bigint') return value.toString();
	let out = "b'";
	for (const byte of value) {
		if (byte === 0x5c) out += '\\\\';
		else if (byte === 0x27) out += "\\'";
		else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
		else out += `\\x${byte.toString(16).padStart(2, '0')}`;
	}
	return out + "'";
}

/** Python's repr() of a row tuple: `(1,)`, `(1, 'a')`. */
export function pyTupleRepr(row: readonly SqlValue[]): string {
	const items = row.map(pyValueRepr);
	return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** Python's str() of a list of row tuples, as `str(cursor.fetchall())`. */
export function pyRowsRepr(rows: readonly (readonly SqlValue[])[]): string {
	return `[${rows.map(pyTupleRepr).join(', ')}]`;
}

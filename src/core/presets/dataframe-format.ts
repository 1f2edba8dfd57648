import type { SqlValue } from '../../../workers/protocol.ts';
import { pyValueRepr } from './python-repr.ts';

// A faithful port of `pandas.DataFrame(rows).to_string(index=False)` (pandas 2.x, default options),
// the observation layout of SkyRL-SQL (skyrl_gym/tools/sql.py): per-column dtype inference (int64,
// float64, object), floats at 6 digits with common trailing zeros trimmed (scientific when values
// are tiny or long and large), a leading space on the header of numeric columns, every cell
// right-aligned, columns joined by one space.

type Dtype = 'int' | 'float' | 'object';

const isFloatValue = (v: SqlValue) => typeof v === 'number' && !Number.isInteger(v);

function inferDtype(values: readonly SqlValue[]): Dtype {
	let numbers = 0;
	let nulls = 0;
	let floats = false;
	for (const v of values) {
		if (v === null) nulls++;
		else if (typeof v === 'number') {
			numbers++;
			if (!Number.isInteger(v)) floats = true;
		} else return 'object';
	}
	if (numbers === 0) return 'object';
	return floats || nulls > 0 ? 'float' : 'int';
}

/** Python's `'{:.6e}'.format(x)`. */
function pyExp(x: number, digits: number): string {
	return x.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
}

const withDecimal = /^\s*[+-]?[0-9]+\.[0-9]*$/;

function trimZerosFloat(values: string[]): string[] {
	let out = values;
	const shouldTrim = (xs: string[]) => {
		const nums = xs.filter((x) => withDecimal.test(x));
		return nums.length > 0 && nums.every((x) => x.endsWith('0'));
	};
	while (shouldTrim(out)) out = out.map((x) => (withDecimal.test(x) ? x.slice(0, -1) : x));
	return out.map((x) => (withDecimal.test(x) && x.endsWith('.') ? x + '0' : x));
}

function formatFloatColumn(values: readonly SqlValue[], digits = 6): string[] {
	const nums = values.map((v) => (v === null ? NaN : (v as number)));
	const fixed = trimZerosFloat(nums.map((x) => (Number.isNaN(x) ? 'NaN' : x.toFixed(digits))));
	const maxLen = Math.max(0, ...fixed.map((x) => x.length));
	const abs = nums.filter((x) => !Number.isNaN(x)).map(Math.abs);
	const large = abs.some((x) => x > 1e6);
	const small = abs.some((x) => x < 10 ** -digits && x > 0);
	if (small || (maxLen > digits + 6 && large)) {
		return trimZerosFloat(nums.map((x) => (Number.isNaN(x) ? 'NaN' : pyExp(x, digits))));
	}
	return fixed;
}

function formatObjectValue(v: SqlValue): string {
	if (v === null) return 'None';
	if (typeof v === 'string')
		return v.replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
	if (typeof v === 'number') {
		if (!isFloatValue(v)) return String(v);
		// pandas formats a float inside an object column with `f"{x: .6f}"`, then strips zeros.
		let s = (v < 0 ? '' : ' ') + v.toFixed(6);
		s = s.replace(/0+$/, '');
		return s.endsWith('.') ? s + '0' : s;
	}
	return pyValueRepr(v);
}

const width = (s: string) => [...s].length;
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;

/** `pandas.DataFrame(rows, columns=labels).to_string(index=False)`; labels default to 0, 1, 2, … */
export function dataFrameToString(
	rows: readonly (readonly SqlValue[])[],
	labels?: readonly string[]
): string {
	const ncols = labels?.length ?? rows[0]?.length ?? 0;
	if (rows.length === 0 || ncols === 0) {
		return `Empty DataFrame\nColumns: [${(labels ?? []).join(', ')}]\nIndex: []`;
	}
	const columns: string[][] = [];
	for (let c = 0; c < ncols; c++) {
		const values = rows.map((r) => r[c] ?? null);
		const dtype = inferDtype(values);
		const cells =
			dtype === 'int'
				? values.map((v) => String(v))
				: dtype === 'float'
					? formatFloatColumn(values)
					: values.map(formatObjectValue);
		const label = labels?.[c] ?? String(c);
		const header = dtype === 'object' ? label : ` ${label}`;
		const w = Math.max(width(header), ...cells.map(width));
		columns.push([padStart(header, w), ...cells.map((cell) => padStart(cell, w))]);
	}
	const lines: string[] = [];
	for (let r = 0; r <= rows.length; r++) lines.push(columns.map((col) => col[r]).join(' '));
	return lines.join('\n');
}

/** The distinct rows in first-seen order, compared as Python compares tuples (`frozenset(rows)`). */
export function distinctRows(rows: readonly (readonly SqlValue[])[]): SqlValue[][] {
	const seen = new Set<string>();
	const out: SqlValue[][] = [];
	for (const row of rows) {
		const key = rowKey(row);
		if (seen.has(key)) continue;
		seen.add(key);
		out.push([...row]);
	}
	return out;
}

/** A key equal for rows Python would consider equal tuples. */
export function rowKey(row: readonly SqlValue[]): string {
	return row
		.map((v) =>
			v === null
				? 'n'
				: typeof v === 'number' || typeof v === 'bigint'
					? `d${v}`
					: typeof v === 'string'
						? `s${JSON.stringify(v)}`
						: `b${Array.from(v).join(',')}`
		)
		.join('|');
}

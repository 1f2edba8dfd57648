import type { SqlValue } from '../../workers/protocol.ts';

/** Rows to render for a viewport: `[start, end)` indices into the result. */
export interface RowWindow {
	start: number;
	end: number;
}

/** Which rows of a fixed-row-height list are visible (plus overscan) at a scroll position. */
export function visibleRows(
	scrollTop: number,
	viewportHeight: number,
	rowHeight: number,
	total: number,
	overscan = 8
): RowWindow {
	const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
	const count = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
	return {
		start: Math.max(0, Math.min(total, first - overscan)),
		end: Math.max(0, Math.min(total, first + count + overscan))
	};
}

/** Shows a SQL value as text in a cell. */
export function formatCell(value: SqlValue): string {
	if (value === null) return 'NULL';
	if (value instanceof Uint8Array) return `‹blob ${value.length} B›`;
	if (typeof value === 'string' && value.length > 500) return value.slice(0, 500) + '…';
	return String(value);
}

/** Column widths in `ch`, estimated from the header and a sample of rows (never all of them). */
export function columnWidths(columns: string[], rows: SqlValue[][], sample = 200): number[] {
	const n = Math.min(rows.length, sample);
	return columns.map((name, c) => {
		let w = name.length + 3;
		for (let r = 0; r < n; r++) {
			const v = rows[r][c];
			w = Math.max(w, (v === null ? 4 : formatCell(v).length) + 3);
		}
		return Math.max(6, Math.min(w, 42));
	});
}

/** Whether a column looks numeric (so it is right-aligned), judged from a sample. */
export function numericColumns(columns: string[], rows: SqlValue[][], sample = 50): boolean[] {
	const n = Math.min(rows.length, sample);
	return columns.map((_, c) => {
		let seen = false;
		for (let r = 0; r < n; r++) {
			const v = rows[r][c];
			if (v === null) continue;
			if (typeof v !== 'number' && typeof v !== 'bigint') return false;
			seen = true;
		}
		return seen;
	});
}

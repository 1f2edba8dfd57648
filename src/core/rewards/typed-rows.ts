import type { SqlTypeLetter, SqlValue } from '../../../workers/protocol.ts';
import type { TypedRows } from '../eval/python-value.ts';

/** Rows of an SQL result without their storage classes. */
export type Rows = readonly (readonly SqlValue[])[];

/** The storage class a bare JS value most likely had (an integral number reads as INTEGER). */
export function guessType(v: SqlValue): SqlTypeLetter {
	if (v === null) return 'n';
	if (typeof v === 'string') return 't';
	if (typeof v === 'bigint') return 'i';
	if (typeof v === 'number') return Number.isInteger(v) ? 'i' : 'r';
	return 'b';
}

/** Rows as {@link TypedRows}: kept when already typed, else typed by {@link guessType}. */
export function typedRows(rows: Rows | TypedRows): TypedRows {
	if (!Array.isArray(rows)) return rows as TypedRows;
	const bare = rows as Rows;
	return { rows: bare, types: bare.map((r) => r.map(guessType).join('')) };
}

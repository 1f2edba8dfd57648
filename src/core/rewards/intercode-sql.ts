import { pyFloatRepr, pyTupleRepr, type TypedRows } from '../eval/python-value.ts';
import { kendallTauB } from './kendall-tau.ts';
import { typedRows, type Rows } from './typed-rows.ts';

/**
 * What InterCode's SqlEnv leaves in `self.observation`: the fetched rows (with their storage
 * classes, so `str(row)` is Python's), an error text, or None.
 */
export type IntercodeObservation = TypedRows | string | null;

/** InterCode-SQL's reward with the Python value it would print (`1`, `0.0`, `0.67`). */
export interface IntercodeSqlReward {
	value: number;
	/** The reward as Python prints it (int `1` when both outputs are empty, else a float). */
	repr: string;
	iou: number | null;
	tau: number | null;
}

/** Python's `str(row)` of each row, as InterCode stringifies rows before comparing them. */
export function intercodeRowStrings(t: TypedRows): string[] {
	return t.rows.map((row, r) => pyTupleRepr(row, t.types[r] ?? ''));
}

/** Python's `str(observation)` (also `repr`): a list of row tuples, the error text, or `None`. */
export function intercodeObservationStr(obs: IntercodeObservation): string {
	if (obs === null) return 'None';
	if (typeof obs === 'string') return obs;
	return `[${intercodeRowStrings(obs).join(', ')}]`;
}

function counts(items: readonly string[]): Map<string, number> {
	const m = new Map<string, number>();
	for (const item of items) m.set(item, (m.get(item) ?? 0) + 1);
	return m;
}

/**
 * InterCode-SQL's reward (princeton-nlp/intercode intercode/envs/sql/sql_env.py `get_reward`): IoU
 * of the multisets of `str(row)` (Python's repr: `2e-05`, `1e+16`, `-0.0`, escapes), when they share
 * rows times Kendall τ between the orders of the common rows, rounded to 2 decimals (left unscaled
 * when τ is NaN); both empty → int 1; a non-list observation → 0.0. Bare rows are typed by guess.
 */
export function intercodeSqlReward(
	agent: IntercodeObservation | Rows,
	gold: Rows | TypedRows
): IntercodeSqlReward {
	if (agent === null || typeof agent === 'string')
		return { value: 0, repr: '0.0', iou: null, tau: null };
	const listAgent = intercodeRowStrings(typedRows(agent));
	const listEval = intercodeRowStrings(typedRows(gold));
	const distAgent = counts(listAgent);
	const distEval = counts(listEval);
	const intersection = new Map<string, number>();
	for (const [k, v] of distAgent) {
		const w = distEval.get(k);
		if (w) intersection.set(k, Math.min(v, w));
	}
	const union = new Map(distAgent);
	for (const [k, v] of distEval) union.set(k, Math.max(v, union.get(k) ?? 0));
	// Both outputs empty: InterCode returns the int 1.
	if (union.size === 0) return { value: 1, repr: '1', iou: 1, tau: null };
	let inter = 0;
	let uni = 0;
	for (const v of intersection.values()) inter += v;
	for (const v of union.values()) uni += v;
	const iou = inter / uni;
	let value = iou;
	let tau: number | null = null;
	if (intersection.size > 0) {
		const a = intersectItems(listAgent, intersection);
		const b = intersectItems(listEval, intersection);
		tau = kendallTauB(a, b);
		if (!Number.isNaN(tau)) value = roundHalfEven2(tau * iou);
	}
	return {
		value,
		repr: pyFloatRepr(value),
		iou,
		tau: tau === null || Number.isNaN(tau) ? null : tau
	};
}

/** `get_intersect_items`: the items of a list that are in the multiset, in list order. */
function intersectItems(list: readonly string[], multiset: ReadonlyMap<string, number>): string[] {
	const left = new Map(multiset);
	const out: string[] = [];
	for (const item of list) {
		const n = left.get(item);
		if (!n) continue;
		if (n === 1) left.delete(item);
		else left.set(item, n - 1);
		out.push(item);
	}
	return out;
}

/** Python's round(x, 2) (correctly rounded on the binary value, ties to even). */
export function roundHalfEven2(x: number): number {
	const s = x.toFixed(20);
	const [int, frac = ''] = s.split('.');
	const head = Number(`${int}.${frac.slice(0, 2)}`);
	const rest = frac.slice(2);
	const step = x < 0 ? -0.01 : 0.01;
	if (/^50*$/.test(rest)) {
		const lastDigit = Number(frac[1] ?? '0');
		return lastDigit % 2 === 0 ? head : Number((head + step).toFixed(2));
	}
	return rest[0] >= '5' ? Number((head + step).toFixed(2)) : head;
}

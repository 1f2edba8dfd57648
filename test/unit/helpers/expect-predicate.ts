import { expect } from 'vitest';

/** Asserts `predicate` true for every case of `yes` and false for every case of `no`, naming each case. */
export function expectPredicate(
	predicate: (value: string) => boolean,
	cases: { yes: readonly string[]; no: readonly string[] }
): void {
	for (const value of cases.yes) expect(predicate(value), value).toBe(true);
	for (const value of cases.no) expect(predicate(value), value).toBe(false);
}

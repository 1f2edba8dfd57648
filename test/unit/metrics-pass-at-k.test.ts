import { describe, expect, test } from 'vitest';
import { meanPassAtK, passAtK } from '../../src/core/metrics/pass-at-k.ts';
import { executionAccuracy } from '../../src/core/metrics/accuracy.ts';

/** 1 − C(n−c, k)/C(n, k) with exact big integers, the definition the stable form must match. */
function exact(n: number, c: number, k: number): number {
	const choose = (a: number, b: number): bigint => {
		if (b < 0 || b > a) return 0n;
		let r = 1n;
		for (let i = 1; i <= b; i++) r = (r * BigInt(a - b + i)) / BigInt(i);
		return r;
	};
	const num = choose(n - c, k);
	const den = choose(n, k);
	return 1 - Number((num * 10n ** 18n) / den) / 1e18;
}

describe('unbiased pass@k', () => {
	test('matches the combinatorial definition, including n = 200', () => {
		for (const [n, c, k] of [
			[10, 3, 1],
			[10, 3, 5],
			[20, 0, 10],
			[200, 13, 100],
			[200, 1, 1],
			[5, 5, 2]
		]) {
			expect(passAtK(n, c, k)).toBeCloseTo(exact(n, c, k), 12);
		}
		expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 15);
		expect(passAtK(4, 2, 3)).toBe(1);
	});

	test('k is reported only when every problem has n ≥ k', () => {
		expect(
			meanPassAtK(
				[
					{ n: 5, c: 1 },
					{ n: 5, c: 0 }
				],
				1
			)
		).toBeCloseTo(0.1, 15);
		expect(
			meanPassAtK(
				[
					{ n: 5, c: 1 },
					{ n: 2, c: 0 }
				],
				3
			)
		).toBeNull();
		expect(() => passAtK(2, 1, 3)).toThrow(RangeError);
	});
});

describe('execution accuracy', () => {
	test('overall and per group', () => {
		const r = executionAccuracy([
			{ correct: true, group: 'easy' },
			{ correct: false, group: 'easy' },
			{ correct: true, group: 'hard' }
		]);
		expect(r).toMatchObject({
			total: 3,
			correct: 2,
			groups: { easy: { accuracy: 0.5 }, hard: { accuracy: 1 } }
		});
	});
});

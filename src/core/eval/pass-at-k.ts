// pass@k as openai/human-eval computes it (human_eval/evaluation.py `estimate_pass_at_k` and
// `evaluate_functional_correctness`), to the last bit: the per-problem estimator is
// src/core/metrics/pass-at-k.ts (the same product, in the same order as np.prod), and the mean
// over problems sums as numpy does (pairwise), then divides.
import { passAtK } from '../metrics/pass-at-k.ts';

/** numpy's pairwise summation of float64 (`pairwise_sum` in loops_utils.h), which np.mean uses. */
export function numpyPairwiseSum(values: readonly number[], start = 0, n = values.length): number {
	if (n < 8) {
		let res = 0;
		for (let i = 0; i < n; i++) res += values[start + i];
		return res;
	}
	if (n <= 128) {
		const r = values.slice(start, start + 8);
		let i = 8;
		for (; i < n - (n % 8); i += 8) {
			for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
		}
		let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
		for (; i < n; i++) res += values[start + i];
		return res;
	}
	let half = Math.floor(n / 2);
	half -= half % 8;
	return numpyPairwiseSum(values, start, half) + numpyPairwiseSum(values, start + half, n - half);
}

/**
 * evaluation.py `evaluate_functional_correctness`'s pass@k: for each k, the mean over problems of
 * `estimate_pass_at_k`, reported only when every problem has at least k samples
 * (`(total >= k).all()`); keys as human-eval writes them (`pass@1`).
 */
export function humanEvalPassAtK(
	problems: readonly { n: number; c: number }[],
	ks: readonly number[] = [1, 10, 100]
): Record<string, number> {
	const out: Record<string, number> = {};
	for (const k of ks) {
		if (!problems.every((p) => p.n >= k)) continue;
		const each = problems.map((p) => passAtK(p.n, p.c, k));
		out[`pass@${k}`] = numpyPairwiseSum(each) / each.length;
	}
	return out;
}

/**
 * Unbiased pass@k for one problem with n samples of which c are correct (Chen et al., 2021, arXiv
 * 2107.03374; openai/human-eval human_eval/evaluation.py `estimate_pass_at_k`):
 * `1 − C(n−c, k)/C(n, k)`, computed as `1 − Π (1 − k/i)` for i in n−c+1..n (numerically stable).
 */
export function passAtK(n: number, c: number, k: number): number {
	if (k > n) throw new RangeError(`pass@${k} needs at least ${k} samples, got ${n}`);
	if (n - c < k) return 1;
	let product = 1;
	for (let i = n - c + 1; i <= n; i++) product *= 1 - k / i;
	return 1 - product;
}

/** Mean pass@k over problems; null when some problem has fewer than k samples (k is not reported then). */
export function meanPassAtK(
	problems: readonly { n: number; c: number }[],
	k: number
): number | null {
	if (problems.length === 0 || problems.some((p) => p.n < k)) return null;
	return problems.reduce((sum, p) => sum + passAtK(p.n, p.c, k), 0) / problems.length;
}

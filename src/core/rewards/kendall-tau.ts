import { comparePyStr } from '../eval/python-value.ts';

/** Kendall's τ-b of paired observations (as scipy.stats.kendalltau), NaN when undefined. */
export function kendallTauB<T>(x: readonly T[], y: readonly T[]): number {
	const n = x.length;
	if (n !== y.length) throw new RangeError(`kendallTauB: lengths differ (${n} vs ${y.length})`);
	if (n < 2) return NaN;
	let concordant = 0;
	let discordant = 0;
	let tiesX = 0;
	let tiesY = 0;
	// Strings order as in Python (by code point), as scipy ranks InterCode's `str(row)` values.
	const cmp = (a: T, b: T) =>
		typeof a === 'string' && typeof b === 'string'
			? Math.sign(comparePyStr(a, b))
			: a < b
				? -1
				: a > b
					? 1
					: 0;
	for (let i = 0; i < n; i++) {
		for (let j = i + 1; j < n; j++) {
			const dx = cmp(x[i], x[j]);
			const dy = cmp(y[i], y[j]);
			if (dx === 0) tiesX++;
			if (dy === 0) tiesY++;
			if (dx !== 0 && dy !== 0) {
				if (dx === dy) concordant++;
				else discordant++;
			}
		}
	}
	const total = (n * (n - 1)) / 2;
	if (tiesX === total || tiesY === total) return NaN;
	// scipy's own order of operations (two square roots, then clipped to [-1, 1]), so the last bit
	// agrees and round(τ·IoU, 2) lands where InterCode's does.
	const tau = (concordant - discordant) / Math.sqrt(total - tiesX) / Math.sqrt(total - tiesY);
	return Math.min(1, Math.max(-1, tau));
}

/** One graded item: whether it was correct, and the group it counts in (hardness, difficulty). */
export interface Graded {
	correct: boolean;
	group?: string;
}

/** Accuracy overall and per group. */
export interface AccuracyReport {
	total: number;
	correct: number;
	accuracy: number;
	groups: Record<string, { total: number; correct: number; accuracy: number }>;
}

/** Execution accuracy: the fraction correct, overall and per group. */
export function executionAccuracy(items: readonly Graded[]): AccuracyReport {
	const groups: AccuracyReport['groups'] = {};
	let correct = 0;
	for (const item of items) {
		if (item.correct) correct++;
		if (item.group === undefined) continue;
		const g = (groups[item.group] ??= { total: 0, correct: 0, accuracy: 0 });
		g.total++;
		if (item.correct) g.correct++;
	}
	for (const g of Object.values(groups)) g.accuracy = g.correct / g.total;
	return {
		total: items.length,
		correct,
		accuracy: items.length ? correct / items.length : 0,
		groups
	};
}

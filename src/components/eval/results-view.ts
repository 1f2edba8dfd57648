// What the Eval tab's table, charts and summary show, computed from a run's verdicts: plain data,
// no DOM, so it is tested in Node and shared by the table and the charts.
import type { SampleVerdict } from '../../core/eval/pack.ts';

/** One task of a run: its samples counted. */
export interface TaskSummary {
	taskId: string;
	/** Samples scored so far. */
	n: number;
	/** Samples that passed. */
	passed: number;
	/** Spider hardness / BIRD difficulty, when the pack has it. */
	group?: string;
	/** Mean runtime of its samples, in ms. */
	meanMs: number;
	/** How many of its samples came near their limit. */
	nearLimit: number;
	/** The first failing sample's result (what a reader wants to see first), else `passed`. */
	firstResult: string;
}

/** The samples grouped by task, in the order the tasks first appear. */
export function taskSummaries(samples: readonly SampleVerdict[]): TaskSummary[] {
	const byTask = new Map<string, TaskSummary & { totalMs: number; failSeen: boolean }>();
	for (const s of samples) {
		let t = byTask.get(s.taskId);
		if (!t) {
			t = {
				taskId: s.taskId,
				n: 0,
				passed: 0,
				group: s.group,
				meanMs: 0,
				totalMs: 0,
				nearLimit: 0,
				firstResult: s.result,
				failSeen: false
			};
			byTask.set(s.taskId, t);
		}
		t.n++;
		t.totalMs += s.durationMs;
		if (s.passed) t.passed++;
		else if (!t.failSeen) {
			t.failSeen = true;
			t.firstResult = s.result;
		}
		if (s.nearLimit) t.nearLimit++;
	}
	return [...byTask.values()].map(({ totalMs, failSeen: _, ...t }) => ({
		...t,
		meanMs: t.n ? totalMs / t.n : 0
	}));
}

/** Accuracy of one group of samples (a hardness, a difficulty or a database). */
export interface GroupAccuracy {
	group: string;
	passed: number;
	count: number;
	accuracy: number;
}

/** Groups' accuracies by `keyOf` (samples it maps to undefined are left out), largest group first. */
export function groupAccuracy(
	samples: readonly SampleVerdict[],
	keyOf: (s: SampleVerdict) => string | undefined
): GroupAccuracy[] {
	const groups = new Map<string, { passed: number; count: number }>();
	for (const s of samples) {
		const key = keyOf(s);
		if (key === undefined) continue;
		const g = groups.get(key) ?? { passed: 0, count: 0 };
		g.count++;
		if (s.passed) g.passed++;
		groups.set(key, g);
	}
	return [...groups.entries()]
		.map(([group, g]) => ({ group, ...g, accuracy: g.passed / g.count }))
		.sort((a, b) => b.count - a.count || a.group.localeCompare(b.group));
}

/** Spider's hardness levels and BIRD's difficulties in their natural order (others after, by name). */
const groupOrder = ['easy', 'simple', 'medium', 'moderate', 'hard', 'challenging', 'extra'];

/** Orders hardness/difficulty groups easy → hard rather than by size. */
export function byDifficulty(groups: readonly GroupAccuracy[]): GroupAccuracy[] {
	const rank = (g: string) => {
		const i = groupOrder.indexOf(g.toLowerCase());
		return i < 0 ? groupOrder.length : i;
	};
	return [...groups].sort(
		(a, b) => rank(a.group) - rank(b.group) || a.group.localeCompare(b.group)
	);
}

/** A runtime histogram: `counts[i]` samples took between `edges[i]` and `edges[i + 1]` ms. */
export interface Histogram {
	edges: number[];
	counts: number[];
}

/**
 * Runtimes binned on a log scale (runtimes of a batch span from under a millisecond to the
 * limit, so equal-width bins would put nearly everything in the first one).
 */
export function runtimeHistogram(durations: readonly number[], bins = 16): Histogram {
	if (durations.length === 0) return { edges: [], counts: [] };
	let lo = Infinity;
	let hi = 0;
	for (const d of durations) {
		lo = Math.min(lo, d);
		hi = Math.max(hi, d);
	}
	lo = Math.max(0.1, lo);
	hi = Math.max(hi, lo * 1.01);
	const a = Math.log10(lo);
	const step = (Math.log10(hi) - a) / bins;
	const edges = Array.from({ length: bins + 1 }, (_, i) => 10 ** (a + step * i));
	const counts = new Array<number>(bins).fill(0);
	for (const d of durations) {
		const i = Math.floor((Math.log10(Math.max(d, lo)) - a) / step);
		counts[Math.min(bins - 1, Math.max(0, i))]++;
	}
	return { edges, counts };
}

/** The pass@k points of a result, by k ascending (keys of `passAtK` are k as strings). */
export function passAtKCurve(
	passAtK: Record<string, number> | undefined
): { k: number; value: number }[] {
	if (!passAtK) return [];
	return Object.entries(passAtK)
		.map(([key, value]) => ({ k: Number(key.replace(/^pass@/, '')), value }))
		.filter((p) => Number.isFinite(p.k))
		.sort((a, b) => a.k - b.k);
}

/** A duration for people: `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) return '—';
	if (ms < 1000) return `${Math.round(ms)} ms`;
	const s = ms / 1000;
	if (s < 60) return `${s.toFixed(1)} s`;
	const whole = Math.round(s);
	const m = Math.floor(whole / 60);
	if (m < 60) return `${m} min ${String(whole % 60).padStart(2, '0')} s`;
	return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A fraction as a percentage with one decimal (`83.3 %`). */
export const percent = (x: number | undefined): string =>
	x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)} %`;

/** Which samples the table shows. */
export type SampleFilter = 'all' | 'failed' | 'passed' | 'near';

/** The indices of the samples that pass `filter` and whose task id contains `query`. */
export function filterSamples(
	samples: readonly SampleVerdict[],
	filter: SampleFilter,
	query: string
): number[] {
	const q = query.trim().toLowerCase();
	const out: number[] = [];
	for (let i = 0; i < samples.length; i++) {
		const s = samples[i];
		if (filter === 'failed' && s.passed) continue;
		if (filter === 'passed' && !s.passed) continue;
		if (filter === 'near' && !s.nearLimit) continue;
		if (q && !s.taskId.toLowerCase().includes(q)) continue;
		out.push(i);
	}
	return out;
}

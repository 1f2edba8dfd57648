// Search, filters and sort of the history index (the History tab's list and the embed `history`).
import type { HistoryEntry, HistoryOutcome } from './entry.ts';

/** What the History list shows: free text, the three filters (empty = any) and the order. */
export interface HistoryQuery {
	text: string;
	preset: string;
	model: string;
	outcome: HistoryOutcome | '';
	sort: HistorySort;
}

/** Orders of the list. */
export type HistorySort = 'newest' | 'oldest' | 'title' | 'reward';

/** The query that shows everything, newest first. */
export const emptyQuery: HistoryQuery = {
	text: '',
	preset: '',
	model: '',
	outcome: '',
	sort: 'newest'
};

/**
 * Whether an entry matches the free text: every whitespace-separated word (case-insensitive) is in
 * its title, task text, model or (an eval sample's) eval run id.
 */
export function matchesText(entry: HistoryEntry, text: string): boolean {
	const words = text.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return true;
	const run = entry.source.evalRun ?? '';
	const hay = `${entry.title}\n${entry.taskText}\n${entry.model}\n${run}`.toLowerCase();
	return words.every((w) => hay.includes(w));
}

/** The entries a query shows, in its order (entries already carry their shown outcome). */
export function queryHistory(entries: readonly HistoryEntry[], q: HistoryQuery): HistoryEntry[] {
	const out = entries.filter(
		(e) =>
			(!q.preset || e.preset === q.preset) &&
			(!q.model || e.model === q.model) &&
			(!q.outcome || e.outcome === q.outcome) &&
			matchesText(e, q.text)
	);
	return out.sort(comparator(q.sort));
}

function comparator(sort: HistorySort): (a: HistoryEntry, b: HistoryEntry) => number {
	const newest = (a: HistoryEntry, b: HistoryEntry) =>
		b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id);
	switch (sort) {
		case 'newest':
			return newest;
		case 'oldest':
			return (a, b) => -newest(a, b);
		case 'title':
			return (a, b) => a.title.localeCompare(b.title) || newest(a, b);
		case 'reward':
			// Rewarded runs first, highest first; runs without a reward last.
			return (a, b) => (b.reward ?? -Infinity) - (a.reward ?? -Infinity) || newest(a, b);
	}
}

/** The distinct values of a field across the entries, sorted (the filter menus' options). */
export function facet(entries: readonly HistoryEntry[], field: 'preset' | 'model'): string[] {
	return [...new Set(entries.map((e) => e[field]))].sort();
}

/** An entry with a new title: trimmed, at most 200 characters; an empty title is refused. */
export function renamed(entry: HistoryEntry, title: string): HistoryEntry {
	const clean = title.replace(/\s+/g, ' ').trim().slice(0, 200);
	if (!clean) throw new RangeError('A title cannot be empty');
	return { ...entry, title: clean };
}

/** One trace as the embed `history` message lists it. */
export interface EmbedHistoryItem {
	id: string;
	title: string;
	preset: string;
	model: string;
	startedAt: string;
	outcome: HistoryOutcome;
}

/**
 * The traces an embedding host may see: only those its own `agent-run`s created (source `embed`
 * with exactly its origin), never the user's own runs nor another host's; newest first.
 */
export function historyForOrigin(
	entries: readonly HistoryEntry[],
	origin: string
): EmbedHistoryItem[] {
	return queryHistory(
		entries.filter((e) => e.source.kind === 'embed' && e.source.origin === origin),
		emptyQuery
	).map(({ id, title, preset, model, startedAt, outcome }) => ({
		id,
		title,
		preset,
		model,
		startedAt,
		outcome
	}));
}

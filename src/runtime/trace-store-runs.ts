// Finished runs written to the trace database in bulk (an eval run's sample traces, many to a
// transaction), and the deletion of every trace an eval run saved, by its id prefix.
import type { RunSource } from '../core/agent/agent-run.ts';
import { entryOfEvents, type HistoryEntry, type TraceV2Extra } from '../core/history/entry.ts';
import type { AgentEvent } from '../core/trace/events.ts';
import { idbRequest, idbTransaction } from './trace-store-idb.ts';

/** A run made elsewhere, complete: its events (start first), title, source and v2 fields. */
export interface FinishedRun {
	id: string;
	title: string;
	events: AgentEvent[];
	source: RunSource;
	v2?: TraceV2Extra;
}

/** Writes runs (entries and events) in one transaction; a run with a saved id replaces it. */
export async function putRuns(
	db: IDBDatabase,
	runs: readonly FinishedRun[],
	now: string
): Promise<void> {
	const tx = db.transaction(['runs', 'events'], 'readwrite');
	const events = tx.objectStore('events');
	const entries = tx.objectStore('runs');
	for (const run of runs) {
		const entry: HistoryEntry = {
			...entryOfEvents(run.id, run.events, run.source, now),
			title: run.title,
			...(run.v2 ? { v2: run.v2 } : {})
		};
		events.put(run.events, [run.id, 0]);
		entries.put(entry);
	}
	await idbTransaction(tx);
}

/** Deletes every run whose id starts with `prefix` (entries and events); resolves with how many. */
export async function removeByPrefix(db: IDBDatabase, prefix: string): Promise<number> {
	const tx = db.transaction(['runs', 'events'], 'readwrite');
	// Ids are strings: every id with the prefix sorts between it and it + U+FFFF.
	const ids = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
	const count = await idbRequest<number>(tx.objectStore('runs').count(ids));
	tx.objectStore('runs').delete(ids);
	tx.objectStore('events').delete(IDBKeyRange.bound([prefix], [`${prefix}\uffff`]));
	await idbTransaction(tx);
	return count;
}

/** One saved run's entry, or null. */
export async function entryOf(db: IDBDatabase, id: string): Promise<HistoryEntry | null> {
	const entry = await idbRequest<HistoryEntry | undefined>(
		db.transaction('runs').objectStore('runs').get(id)
	);
	return entry ?? null;
}

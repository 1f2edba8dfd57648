// Every agent run saved to IndexedDB as it happens (issue 11). Two object stores in a database of
// their own: `runs` holds one index entry per run (what the History list shows), `events` holds
// the run's events in small batches keyed [run id, batch number]. A flush writes its batch and the
// updated entry in one transaction. Events are written within ~50 ms of the first pending one
// (timers of a hidden page may fire later), and all that is pending on pagehide. A run holds a Web Lock while it records: a run still marked running whose
// lock nobody holds (its page was closed, crashed or reloaded) is shown as interrupted.
import type { RunRecorder, RunSink, RunSource } from '../core/agent/agent-run.ts';
import {
	advanceEntry,
	entryOfEvents,
	entryOfStart,
	shownOutcome,
	type HistoryEntry,
	type TraceV2Extra
} from '../core/history/entry.ts';
import { storageProblem, type StorageProblem } from '../core/history/storage-problem.ts';
import type { AgentEvent } from '../core/trace/events.ts';
import { idbRequest, idbTransaction, openIdb } from './trace-store-idb.ts';
import { entryOf, putRuns, removeByPrefix, type FinishedRun } from './trace-store-runs.ts';

export type { FinishedRun } from './trace-store-runs.ts';

/** A store operation's result: done, or the problem (quota or other) that stopped it. */
export type StoreResult = { ok: true } | ({ ok: false } & StorageProblem);

/** An import's result: the new run's id, or the problem. */
export type ImportResult = { ok: true; id: string } | ({ ok: false } & StorageProblem);

/** The page's saved runs. */
export interface TraceStore {
	/** Saves every run given to the agent-run service. */
	readonly recorder: RunRecorder;
	/** Settles once the database is open (rejects when it cannot be). */
	readonly ready: Promise<void>;
	/** Every saved run's entry, a running one whose page is gone shown as interrupted. */
	list(): Promise<HistoryEntry[]>;
	/** A run's saved events in order (start first); empty when unknown. */
	events(id: string): Promise<AgentEvent[]>;
	rename(id: string, title: string): Promise<StoreResult>;
	/** Deletes runs (entries and events; a run still recording is not deleted). */
	remove(ids: readonly string[]): Promise<StoreResult>;
	/** Saves a finished run read from a file; resolves with its id, or the problem. */
	importRun(events: readonly AgentEvent[], file: string, v2?: TraceV2Extra): Promise<ImportResult>;
	/** Saves finished runs made elsewhere (an eval run's samples) in one transaction. */
	saveRuns(runs: readonly FinishedRun[]): Promise<StoreResult>;
	/** One saved run's entry (null when unknown). */
	entry(id: string): Promise<HistoryEntry | null>;
	/** Deletes every run whose id starts with `prefix` (an eval run's samples). */
	removePrefix(prefix: string): Promise<StoreResult>;
	/** Writes every pending batch now. */
	flush(): Promise<void>;
	/** Calls `fn` after the saved runs changed (debounced to the flushes); returns the unsubscriber. */
	onChange(fn: () => void): () => void;
	/** Calls `fn` with each storage problem (null once a later save worked); returns the unsubscriber. */
	onProblem(fn: (problem: StorageProblem | null) => void): () => void;
	/** The last problem, null when the last save worked. */
	readonly problem: StorageProblem | null;
}

const flushDelayMs = 50;
const lockPrefix = 'execlab-run:';

type LockManagerLike = {
	request(name: string, cb: () => Promise<void>): Promise<void>;
	query(): Promise<{ held?: { name?: string }[] }>;
};

function locks(): LockManagerLike | null {
	return (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks ?? null;
}

function newId(): string {
	const c = globalThis.crypto as Crypto | undefined;
	if (c?.randomUUID) return c.randomUUID();
	return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Opens the store on the database `name` (the page's is `execlab-history`). */
export function createTraceStore(name = 'execlab-history'): TraceStore {
	const db = openIdb(name);
	const writers = new Map<string, RunWriter>();
	const changeFns = new Set<() => void>();
	const problemFns = new Set<(p: StorageProblem | null) => void>();
	let problem: StorageProblem | null = null;
	let changeTimer: ReturnType<typeof setTimeout> | null = null;

	const changed = (delayMs = 100) => {
		changeTimer ??= setTimeout(() => {
			changeTimer = null;
			for (const fn of changeFns) fn();
		}, delayMs);
	};
	const report = (p: StorageProblem | null) => {
		if (p === null && problem === null) return;
		problem = p;
		for (const fn of problemFns) fn(p);
	};
	const fail = (e: unknown, what: string): { ok: false } & StorageProblem => {
		const p = storageProblem(e, what);
		report(p);
		return { ok: false, ...p };
	};

	const recorder: RunRecorder = {
		prepare: () => db.then(() => {}),
		open(source) {
			const writer = new RunWriter(newId(), source, db, {
				saved: () => (report(null), changed()),
				failed: (e, title) => fail(e, `the run "${title}"`),
				closed: (id) => writers.delete(id)
			});
			writers.set(writer.id, writer);
			return writer.sink;
		},
		onError: (e) => fail(e, 'a run')
	};

	const flushAll = () => Promise.all([...writers.values()].map((w) => w.flush())).then(() => {});
	if (typeof addEventListener === 'function') {
		addEventListener('pagehide', () => void flushAll());
		addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'hidden') void flushAll();
		});
	}

	return {
		recorder,
		ready: db.then(() => {}),
		get problem() {
			return problem;
		},
		async list() {
			const d = await db;
			const all = await idbRequest<HistoryEntry[]>(
				d.transaction('runs').objectStore('runs').getAll()
			);
			const held = await heldLocks();
			const live = (id: string) => writers.has(id) || held.has(lockPrefix + id);
			return all.map((e) => ({ ...e, outcome: shownOutcome(e, live) }));
		},
		async events(id) {
			const d = await db;
			const range = IDBKeyRange.bound([id, 0], [id, Infinity]);
			const batches = await idbRequest<AgentEvent[][]>(
				d.transaction('events').objectStore('events').getAll(range)
			);
			return batches.flat();
		},
		async rename(id, title) {
			try {
				const d = await db;
				const tx = d.transaction('runs', 'readwrite');
				const runs = tx.objectStore('runs');
				const entry = await idbRequest<HistoryEntry | undefined>(runs.get(id));
				if (!entry) return { ok: false, quota: false, message: `No saved run ${id}.` };
				runs.put({ ...entry, title });
				await idbTransaction(tx);
				changed();
				return { ok: true };
			} catch (e) {
				return fail(e, 'the new title');
			}
		},
		async remove(ids) {
			try {
				const d = await db;
				const tx = d.transaction(['runs', 'events'], 'readwrite');
				for (const id of ids) {
					if (writers.has(id)) continue;
					tx.objectStore('runs').delete(id);
					tx.objectStore('events').delete(IDBKeyRange.bound([id, 0], [id, Infinity]));
				}
				await idbTransaction(tx);
				changed();
				return { ok: true };
			} catch (e) {
				return fail(e, 'the deletion');
			}
		},
		async importRun(events, file, v2) {
			const id = newId();
			try {
				const entry = {
					...entryOfEvents(id, events, { kind: 'ui' }, nowIso()),
					imported: file,
					...(v2 ? { v2 } : {})
				};
				const d = await db;
				const tx = d.transaction(['runs', 'events'], 'readwrite');
				tx.objectStore('events').put([...events], [id, 0]);
				tx.objectStore('runs').put(entry);
				await idbTransaction(tx);
				report(null);
				changed();
				return { ok: true, id };
			} catch (e) {
				return fail(e, `the trace from ${file}`);
			}
		},
		async saveRuns(runs) {
			if (runs.length === 0) return { ok: true };
			try {
				await putRuns(await db, runs, nowIso());
				report(null);
				// An eval run saves batch after batch: the History list is read again at most every 2 s.
				changed(2000);
				return { ok: true };
			} catch (e) {
				return fail(e, 'a batch of eval sample traces');
			}
		},
		entry: async (id) => entryOf(await db, id),
		async removePrefix(prefix) {
			try {
				if ((await removeByPrefix(await db, prefix)) > 0) changed();
				return { ok: true };
			} catch (e) {
				return fail(e, 'the deletion');
			}
		},
		flush: flushAll,
		onChange(fn) {
			changeFns.add(fn);
			return () => changeFns.delete(fn);
		},
		onProblem(fn) {
			problemFns.add(fn);
			return () => problemFns.delete(fn);
		}
	};
}

/** The names of the Web Locks held in this browser (empty without the Locks API). */
async function heldLocks(): Promise<Set<string>> {
	try {
		const state = await locks()?.query();
		return new Set((state?.held ?? []).map((l) => l.name ?? ''));
	} catch {
		return new Set();
	}
}

const nowIso = () => new Date().toISOString();

interface WriterHooks {
	saved(): void;
	failed(error: unknown, title: string): void;
	closed(id: string): void;
}

/** One batch of a run's events under its key's batch number. */
interface Batch {
	n: number;
	events: AgentEvent[];
}

/**
 * One recording run. Each flush issues its transaction at once, without waiting for the one
 * before to commit: IndexedDB runs read-write transactions on the same stores in the order they
 * were created, so commits stay in order while a slow disk never makes events queue up in the
 * page (where a crash would lose them). A batch keeps its number when it fails and is retried
 * under it with the next flush, so the saved order is the run's order whatever fails.
 */
class RunWriter {
	readonly id: string;
	readonly sink: RunSink;
	#entry: HistoryEntry | null = null;
	#pending: AgentEvent[] = [];
	#failed: Batch[] = [];
	#batch = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#inflight = new Set<Promise<void>>();
	#release: (() => void) | null = null;
	#skipped = false;

	constructor(
		id: string,
		readonly source: RunSource,
		readonly db: Promise<IDBDatabase>,
		readonly hooks: WriterHooks
	) {
		this.id = id;
		this.sink = { write: (e) => this.#write(e), close: () => this.#close() };
	}

	#write(event: AgentEvent): void {
		if (this.#skipped) return;
		if (!this.#entry) {
			// A run that did not start (no header) has nothing to show in the history.
			if (event.type !== 'start') return void (this.#skipped = true);
			this.#entry = entryOfStart(this.id, event, this.source, nowIso());
			this.#hold();
		}
		this.#pending.push(event);
		// Written in batches at most flushDelayMs after the first pending event (and at once on
		// pagehide): one transaction per event cost the agent loop ~1.5 ms a step in Chromium.
		this.#timer ??= setTimeout(() => void this.flush(), flushDelayMs);
	}

	#close(): void {
		void this.flush().finally(() => {
			this.#release?.();
			this.hooks.closed(this.id);
		});
	}

	/** Holds the run's lock while it records, so other pages know it is live. */
	#hold(): void {
		const manager = locks();
		if (!manager) return;
		const held = new Promise<void>((resolve) => (this.#release = resolve));
		manager.request(lockPrefix + this.id, () => held).catch(() => {});
	}

	/** Issues what is pending (and failed batches again); resolves when every write so far settled. */
	flush(): Promise<void> {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		const entry = this.#entry;
		const writes = this.#failed.splice(0);
		if (entry && this.#pending.length > 0) {
			const events = this.#pending.splice(0);
			writes.push({ n: this.#batch++, events });
			// The start event is counted by entryOfStart.
			const added = events.filter((e) => e.type !== 'start');
			this.#entry = advanceEntry(entry, added, nowIso());
		}
		if (entry && writes.length > 0) {
			const write = this.#put(writes, this.#entry!);
			this.#inflight.add(write);
			void write.finally(() => this.#inflight.delete(write));
		}
		return Promise.all([...this.#inflight]).then(() => {});
	}

	async #put(writes: Batch[], entry: HistoryEntry): Promise<void> {
		try {
			const d = await this.db;
			const tx = d.transaction(['runs', 'events'], 'readwrite');
			for (const b of writes) tx.objectStore('events').put(b.events, [this.id, b.n]);
			tx.objectStore('runs').put(entry);
			await idbTransaction(tx);
			this.hooks.saved();
		} catch (e) {
			// Kept in memory under their numbers: the next flush tries again; nothing saved is touched.
			this.#failed.push(...writes);
			this.hooks.failed(e, entry.title);
		}
	}
}

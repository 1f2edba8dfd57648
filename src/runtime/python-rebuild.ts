// The replay log behind hard stops: every successful input of every session, in order, re-run
// in a fresh worker after the old one was terminated.
import type { PythonBudgets, PythonRunResult } from '../../workers/protocol.ts';
import type { PythonWorkerHandle } from './python-worker-handle.ts';

/** One successful run, with what it needs to be replayed identically. */
export interface HistoryEntry {
	session: string;
	code: string;
	allowNetwork: boolean;
	/** Answers given to input() during the run, replayed in order. */
	inputs: string[];
	budgets: PythonBudgets;
}

/** How a rebuild went (spread into StopInfo). */
export interface RebuildReport {
	rebuilt: boolean;
	rebuildError?: string;
}

/** What a rebuild needs from the client. */
export interface RebuildIo {
	ready(): Promise<PythonWorkerHandle>;
	run(
		handle: PythonWorkerHandle,
		entry: HistoryEntry
	): Promise<{ kind: 'done'; result: PythonRunResult } | { kind: 'hard' | 'crashed' }>;
	discard(handle: PythonWorkerHandle): void;
}

/** Keeps the replay log and replays it. */
export class Rebuilder {
	entries: HistoryEntry[] = [];

	/** Appends a successful run. */
	record(entry: HistoryEntry): void {
		this.entries.push(entry);
	}

	/** Drops a session's entries (after reset). */
	forget(session: string): void {
		this.entries = this.entries.filter((e) => e.session !== session);
	}

	/** Drops everything. */
	clear(): void {
		this.entries = [];
	}

	/** Starts a worker and replays the log; entries that no longer succeed are dropped. */
	async rebuild(io: RebuildIo): Promise<RebuildReport> {
		const handle = await io.ready();
		const kept: HistoryEntry[] = [];
		let error: string | undefined;
		for (const [i, entry] of this.entries.entries()) {
			const outcome = await io.run(handle, entry);
			if (outcome.kind === 'done' && outcome.result.ok) {
				kept.push(entry);
				continue;
			}
			const where = `input ${i + 1} of session "${entry.session}"`;
			if (outcome.kind === 'done') {
				const e = outcome.result.error;
				error ??= `${where} failed on replay: ${e?.type}: ${e?.message}`;
				continue;
			}
			// The replay itself hung or crashed: start over with an empty interpreter.
			error ??= `${where} could not be replayed (${outcome.kind === 'hard' ? 'timed out' : 'crashed'}); sessions were cleared`;
			io.discard(handle);
			await io.ready();
			kept.length = 0;
			break;
		}
		this.entries = kept;
		return error === undefined ? { rebuilt: true } : { rebuilt: false, rebuildError: error };
	}
}

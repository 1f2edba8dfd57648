// An eval run's sample traces on their way to the trace history: queued as verdicts arrive and
// written many to a transaction (a transaction per sample would cost more than scoring one). A
// batch the store refuses (a full quota) stays queued and is tried again with the next one; the
// store reports the problem (History notice, status bar).
import type { FinishedRun, StoreResult } from './trace-store.ts';

/** Where sample traces are saved (the page's trace store). */
export interface SampleTraceStore {
	saveRuns(runs: readonly FinishedRun[]): Promise<StoreResult>;
}

/** Queues traces and writes them in batches. */
export interface SampleTraceWriter {
	add(run: FinishedRun): void;
	/** Writes what is queued now; resolves when every write so far has settled (never rejects). */
	flush(): Promise<void>;
}

/** How often and how much at once. */
export interface SampleTraceWriterOptions {
	/** Longest wait after the first queued trace (default 500 ms). */
	delayMs?: number;
	/** Traces per transaction at most; reaching it writes at once (default 200). */
	batch?: number;
}

/** A writer over a store that loads on demand. */
export function createSampleTraceWriter(
	load: () => Promise<SampleTraceStore>,
	options: SampleTraceWriterOptions = {}
): SampleTraceWriter {
	const delayMs = options.delayMs ?? 500;
	const batch = options.batch ?? 200;
	let queued: FinishedRun[] = [];
	let timer: ReturnType<typeof setTimeout> | null = null;
	let chain: Promise<void> = Promise.resolve();

	// Writes go one after another, so a retried batch never lands after a newer one of the same id.
	const write = (runs: FinishedRun[]) => {
		chain = chain.then(async () => {
			let result: StoreResult;
			try {
				result = await (await load()).saveRuns(runs);
			} catch (e) {
				result = { ok: false, quota: false, message: String(e) };
			}
			if (!result.ok) queued = [...runs, ...queued];
		});
		return chain;
	};
	const flush = () => {
		if (timer !== null) clearTimeout(timer);
		timer = null;
		while (queued.length > 0) void write(queued.splice(0, batch));
		return chain;
	};
	return {
		add(run) {
			queued.push(run);
			if (queued.length >= batch) void flush();
			else timer ??= setTimeout(() => void flush(), delayMs);
		},
		flush
	};
}

// The page's one trace store (IndexedDB `execlab-history`) and the channel its storage problems
// are told on. Apart from the agent environment so that the Eval tab (and Node tests of it) can
// save and read traces without starting the page's workers.
import type { TraceStore } from './trace-store.ts';

let store: Promise<TraceStore> | null = null;
const problemFns = new Set<(message: string) => void>();

/** Tells every listener of {@link onHistoryProblem} a problem saving runs ('' once it is over). */
export const tellProblem = (message: string): void => problemFns.forEach((fn) => fn(message));

/** Calls `fn` with each problem saving runs ('' once saving works again); returns the unsubscriber. */
export function onHistoryProblem(fn: (message: string) => void): () => void {
	problemFns.add(fn);
	return () => problemFns.delete(fn);
}

/** The page's trace store (IndexedDB `execlab-history`), opened on first use. */
export function pageTraceStore(): Promise<TraceStore> {
	return (store ??= import('./trace-store.ts').then((m) => {
		const s = m.createTraceStore();
		s.onProblem((p) => tellProblem(p?.message ?? ''));
		return s;
	}));
}

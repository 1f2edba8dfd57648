// The one place that knows the runtime clients' shapes: it attaches them to the sessions and
// forwards their start-up progress. Loaded after the first paint so the editor never waits on it.
import { whenIdle } from '../lib/idle.ts';
import type { AppState } from './app-state.ts';
import type { LoadStatus } from './load-status.ts';
import type { PythonPort } from './python-session.svelte.ts';
import type { SqlPort } from './sql-session.svelte.ts';

/** A client that reports start-up progress the way the SQL and Python clients do. */
interface ProgressSource {
	onProgress(listener: (p: LoadStatus) => void): () => void;
	readonly ready: Promise<unknown>;
}

/** Optional parts of the Python client the playground uses when present. */
interface PythonExtras {
	mode?: { interrupts: boolean; detail: string };
	onInput?: (prompt: string) => Promise<string | null>;
}

function watch(
	client: ProgressSource,
	get: () => LoadStatus,
	set: (s: LoadStatus) => void,
	replays = false
): void {
	client.onProgress((p) => set({ stage: p.stage, progress: p.progress, detail: p.detail }));
	// The SQL client replays its latest progress to a new listener (and `ready` would start it).
	if (replays) return;
	// A client may have started (even finished) before this subscription, and a listener is not
	// told the past: settle the status from `ready` as well.
	client.ready.then(
		() => {
			if (get().stage !== 'ready') set({ stage: 'ready', progress: 1, detail: '' });
		},
		(e: unknown) =>
			set({ stage: 'error', progress: null, detail: e instanceof Error ? e.message : String(e) })
	);
}

/** Starts the runtimes (importing them), attaches them to the sessions and restores databases. */
export async function connectRuntime(app: AppState): Promise<void> {
	const { runtime } = await import('../runtime/index.ts');
	const {
		python,
		sql
	}: {
		python?: PythonPort & ProgressSource & PythonExtras;
		sql?: SqlPort & ProgressSource;
	} = runtime;
	if (sql) {
		watch(
			sql,
			() => app.sql.load,
			(s) => (app.sql.load = s),
			true
		);
		app.sql.attach(sql);
	} else {
		app.sql.load = {
			stage: 'error',
			progress: null,
			detail: 'SQL runtime missing from this build'
		};
	}
	if (python) {
		watch(
			python,
			() => app.python.load,
			(s) => (app.python.load = s)
		);
		if (python.mode) app.python.isolation = python.mode;
		// input() in the playground asks with the browser's prompt (null = EOF when cancelled).
		python.onInput ??= (prompt) => Promise.resolve(window.prompt(prompt || 'input()'));
		app.python.attach(python);
		void python.ready.then(() => app.python.refreshHeap());
	} else {
		app.python.load = {
			stage: 'error',
			progress: null,
			detail: 'Python runtime missing from this build'
		};
	}
	// SQLite (worker, wasm, saved and sample databases) loads only when first needed: the SQL
	// tab is shown (or about to be), or anything else starts the client (an embedding host, the
	// console). A Python-only visit never downloads it.
	const restore = async () => {
		await app.sql.loadSamples();
		if (sql) await app.sql.restore(app.params.db, !app.params.embed);
	};
	app.sql.onWake(() => void restore());
	// Started by someone else (a host page, the console): the UI's databases reopen once the page
	// is idle, so they do not queue ahead of that caller's first calls.
	sql?.onProgress((p) => {
		if (p.stage === 'ready') whenIdle(() => app.sql.wake(), 1000, 50);
	});
}

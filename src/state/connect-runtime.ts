// Connects the page's runtime clients (src/runtime/index.ts) to the playground's sessions: the
// sessions get the clients as the app's Runtime, and the status bar their start-up progress. Loaded
// after the first paint so the editor never waits on it.
import { whenIdle } from '../lib/idle.ts';
import { runtime } from '../runtime/index.ts';
import type { AppState } from './app-state.ts';
import type { LoadStatus } from './load-status.ts';

/** Shows a runtime client's start-up in a session's load status. */
function watch(
	client: typeof runtime.python | typeof runtime.sql,
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

/** Attaches the runtime clients to the sessions, forwards their progress and restores databases. */
export function connectRuntime(app: AppState): void {
	const { python, sql } = runtime;
	watch(
		sql,
		() => app.sql.load,
		(s) => (app.sql.load = s),
		true
	);
	app.sql.attach(sql);
	watch(
		python,
		() => app.python.load,
		(s) => (app.python.load = s)
	);
	app.python.isolation = python.mode;
	// input() in the playground asks with the browser's prompt (null = EOF when cancelled).
	python.onInput ??= (prompt) => Promise.resolve(window.prompt(prompt || 'input()'));
	app.python.attach(python);
	void python.ready.then(() => app.python.refreshHeap());
	// SQLite (worker, wasm, saved and sample databases) loads only when first needed: the SQL
	// tab is shown (or about to be), or anything else starts the client (an embedding host, the
	// console). A Python-only visit never downloads it.
	const restore = async () => {
		await app.sql.loadSamples();
		await app.sql.restore(app.params.db, !app.params.embed);
	};
	app.sql.onWake(() => void restore());
	// Started by someone else (a host page, the console): the UI's databases reopen once the page
	// is idle, so they do not queue ahead of that caller's first calls.
	sql.onProgress((p) => {
		if (p.stage === 'ready') whenIdle(() => app.sql.wake(), 1000, 50);
	});
}

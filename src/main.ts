import { mount } from 'svelte';
import App from './App.svelte';
import { registerAgentHandlers } from './embed/agent-handlers.ts';
import { lazyEmbedRuntime, type RuntimeClients } from './embed/lazy-runtime.ts';
import { embedRegistry } from './embed/registry.ts';
import { startEmbed } from './embed/start-embed.ts';
import { registerServiceWorker } from './pwa/register.ts';
import './styles/app.css';
import type { AppState } from './state/app-state.ts';
import { PythonSession } from './state/python-session.svelte.ts';
import { Settings } from './state/settings.svelte.ts';
import { SqlSession } from './state/sql-session.svelte.ts';
import { parseStartParams } from './state/url-params.ts';
import { Workspace } from './state/workspace.svelte.ts';

const target = document.getElementById('app');
if (!target) throw new Error('ExecLab: #app element missing from index.html');

const params = parseStartParams(location.search);

/** The playground's shared state (also reachable as `globalThis.execlab.app` for tests and the console). */
export const app: AppState = {
	params,
	workspace: new Workspace(params),
	python: new PythonSession(),
	sql: new SqlSession(),
	settings: new Settings(),
	isolated: globalThis.crossOriginIsolated === true
};

/** The mounted application. */
export default mount(App, { target, props: { app } });

(globalThis as unknown as { execlab: Record<string, unknown> }).execlab = {
	...((globalThis as unknown as { execlab?: Record<string, unknown> }).execlab ?? {}),
	app
};

// Python starts at once (not after the first frame): navigation → first result is what users wait for.
void import('./runtime/index.ts').then(({ runtime }) => {
	Object.assign((globalThis as unknown as { execlab: Record<string, unknown> }).execlab, {
		python: runtime.python,
		sql: runtime.sql,
		runtime
	});
	runtime.python.ready.catch(() => undefined);
});

// Workers start only after the first frame is on screen, so typing never waits for them.
requestAnimationFrame(() =>
	setTimeout(() => {
		void import('./state/connect-runtime.ts').then((m) => m.connectRuntime(app));
	}, 0)
);

// Offline support and the postMessage contract (README: "Offline", "Embedding"). The listener
// starts now so `ready` is prompt; requests wait for the runtimes, which are imported on first use.
{
	const execlab = (globalThis as unknown as { execlab: Record<string, unknown> }).execlab;
	// agent-run / stop (README: "Agents"); registered first so `ready` lists them.
	registerAgentHandlers(embedRegistry);
	execlab.embed = startEmbed({
		runtime: lazyEmbedRuntime(
			() => import('./runtime/index.ts').then((m) => m.runtime as RuntimeClients),
			() => app.sql.active || null
		)
	});
	if (import.meta.env.PROD) execlab.offline = registerServiceWorker();
}

// The playground UI: its state and the mounted App. Imported by src/main.ts once the runtimes'
// workers are spawned, so the Python and SQL start-ups never wait for the UI's code.
import { mount } from 'svelte';
import App from './App.svelte';
import type { AgentSession } from './state/agent-session.svelte.ts';
import type { AppState } from './state/app-state.ts';
import { connectRuntime } from './state/connect-runtime.ts';
import { PythonSession } from './state/python-session.svelte.ts';
import { Settings } from './state/settings.svelte.ts';
import { SqlSession } from './state/sql-session.svelte.ts';
import { parseStartParams } from './state/url-params.ts';
import { Workspace } from './state/workspace.svelte.ts';

/** Mounts the playground into `target`; its state is also `globalThis.execlab.app`. */
export function startApp(target: HTMLElement): AppState {
	const params = parseStartParams(location.search);
	let agent: Promise<AgentSession> | null = null;
	const app: AppState = {
		params,
		workspace: new Workspace(params),
		python: new PythonSession(),
		sql: new SqlSession(),
		settings: new Settings(),
		agent: () =>
			(agent ??= Promise.all([
				import('./state/agent-session.svelte.ts'),
				import('./runtime/agent-environment.ts')
			]).then(([m, env]) => {
				// A run that can no longer be saved (quota) is said in the status bar, whichever tab
				// is shown (the History tab says it too).
				env.onHistoryProblem((message) => (app.workspace.storageNotice = message));
				return new m.AgentSession(env.agentEnvironment);
			})),
		isolated: globalThis.crossOriginIsolated === true
	};
	mount(App, { target, props: { app } });
	(globalThis as unknown as { execlab: Record<string, unknown> }).execlab.app = app;

	// Attached after the first frame is on screen, so typing never waits for it.
	requestAnimationFrame(() => setTimeout(() => connectRuntime(app), 0));
	openSharedTrace(app);
	return app;
}

/**
 * A share link (`#trace=…`) or `?trace=<url-or-payload>` opens the Agent tab with the trace ready
 * to replay; it runs at once in a frame (`?embed=1`) or when the link says `run=1`.
 */
function openSharedTrace(app: AppState): void {
	const hash = new URLSearchParams(location.hash.slice(1));
	const value = app.params.trace ?? hash.get('trace');
	if (!value) return;
	const run = app.params.embed || hash.get('run') === '1' || /[?&]run=1(&|$)/.test(location.search);
	app.workspace.show('agent');
	void app
		.agent()
		.then((session) =>
			session.openLink(value, { base: location.href, run, embedded: app.params.embed })
		);
}

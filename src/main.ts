import { mount } from 'svelte';
import App from './App.svelte';
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

// Workers start only after the first frame is on screen, so typing never waits for them.
requestAnimationFrame(() =>
	setTimeout(() => {
		void import('./state/connect-runtime.ts').then((m) => m.connectRuntime(app));
	}, 0)
);

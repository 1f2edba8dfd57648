import { createContext } from 'svelte';
import type { AgentSession } from './agent-session.svelte.ts';
import type { PythonSession } from './python-session.svelte.ts';
import type { Settings } from './settings.svelte.ts';
import type { SqlSession } from './sql-session.svelte.ts';
import type { StartParams } from './url-params.ts';
import type { Workspace } from './workspace.svelte.ts';

/** Everything the playground's components share. */
export interface AppState {
	params: StartParams;
	workspace: Workspace;
	python: PythonSession;
	sql: SqlSession;
	settings: Settings;
	/** The Agent tab's session, one per page; created on first call (its code is a lazy chunk). */
	agent(): Promise<AgentSession>;
	/** Whether the page is cross-origin isolated (Python interrupts possible). */
	isolated: boolean;
}

/** Reads (in a component) and provides (in App.svelte) the shared app state. */
export const [getAppState, setAppState] = createContext<AppState>();

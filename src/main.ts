// Entry point. The runtimes come first: the Python and SQL workers are spawned before the UI's
// code is even fetched, so navigation → first result is not delayed by the playground's start.
import { startEmbedOnDemand } from './embed/embed-on-demand.ts';
import { registerServiceWorker } from './pwa/register.ts';
import { runtime } from './runtime/index.ts';
import './styles/app.css';

type Globals = { execlab?: Record<string, unknown> };

const globals = globalThis as unknown as Globals;
// The page's CSP has no 'unsafe-eval': Zod's JIT would probe `new Function` (caught, but reported
// as a CSP violation) and fall back anyway. Zod reads its settings from this global (zod/v4/core),
// set here, before any of the lazy chunks that use Zod, without pulling Zod into the entry.
const zodConfig = ((globalThis as { __zod_globalConfig?: object }).__zod_globalConfig ??= {});
Object.assign(zodConfig, { jitless: true });
const execlab: Record<string, unknown> = (globals.execlab = {
	...(globals.execlab ?? {}),
	python: runtime.python,
	sql: runtime.sql,
	runtime
});
const pythonReady = runtime.python.ready.catch(() => undefined);

const target = document.getElementById('app');
if (!target) throw new Error('ExecLab: #app element missing from index.html');
const app = import('./start-app.ts').then((m) => m.startApp(target));

// The postMessage contract (README: "Embedding"): in a frame it starts now so `ready` is prompt;
// in a top-level page on the first message (its validation code is a lazy chunk).
execlab.embed = startEmbedOnDemand(() =>
	import('./embed/start-page-embed.ts').then((m) =>
		// A SQL `run` without `db` uses the app's current database, once it is restored.
		m.startPageEmbed(async () => {
			const { sql } = await app;
			await sql.whenRestored();
			return sql.active || null;
		})
	)
);
// Offline support (README: "Offline"): the precache downloads the whole build, so it waits until
// Python has started rather than compete with its first load.
if (import.meta.env.PROD) execlab.offline = registerServiceWorker({ after: pythonReady });

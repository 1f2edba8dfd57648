// agent.stepOverheadMedian: ms per action for parse + execute `SELECT 1` + insert of the observation,
// model time excluded. Runs in Node: the real loop (src/core/agent/loop.ts) with the real SkyRL-SQL
// preset and OpenAiProvider, against the real scripted SSE server (test/fixtures/), executing on a real
// SqlEngine (workers/sql-engine.ts, sql.js) in-process — so no worker postMessage hop is included.
// The TypeScript sources are loaded through Vite's SSR module loader (no extra runner needed).
import { join } from 'node:path';

const step = '<think>check the database</think>\n<sql>SELECT 1</sql>';

/** Wraps a provider so every generate() call records when it started and when its stream ended. */
function timedProvider(inner, marks) {
	return {
		kind: inner.kind,
		model: inner.model,
		generate(request) {
			return (async function* () {
				const mark = { call: performance.now(), done: null };
				marks.push(mark);
				try {
					yield* inner.generate(request);
				} finally {
					mark.done = performance.now();
				}
			})();
		}
	};
}

/** A Vite server (no HTTP, no HMR) that loads the repository's TypeScript modules by path. */
export async function startViteLoader(root) {
	const { createServer } = await import('vite');
	return createServer({
		configFile: false,
		root,
		logLevel: 'error',
		appType: 'custom',
		server: { middlewareMode: true, hmr: false, ws: false },
		optimizeDeps: { noDiscovery: true, include: [] }
	});
}

/**
 * Runs `episodes` agent episodes of `steps` `<sql>SELECT 1</sql>` actions each and returns
 * {value, samples, note}: the overhead of a step is the time from the end of one model stream to
 * the start of the next model request (parse the end, execute, format and insert the observation).
 */
export async function measureAgentStep({ root, quick }) {
	const vite = await startViteLoader(root);
	const load = (path) => vite.ssrLoadModule(path);
	let server;
	try {
		let modules;
		try {
			modules = await Promise.all([
				load('/src/core/agent/loop.ts'),
				load('/src/core/presets/index.ts'),
				load('/src/core/providers/openai.ts'),
				load('/test/fixtures/index.ts'),
				load('/workers/sql-engine.ts')
			]);
		} catch (err) {
			return {
				value: null,
				samples: [],
				note: `the agent loop or its parts could not be loaded: ${String(err?.message ?? err).split('\n')[0]}`
			};
		}
		const [{ runAgent }, { getPreset }, { OpenAiProvider }, { startOpenAiServer }, engineMod] =
			modules;
		const initSqlJs = (await import('sql.js')).default;
		const engine = await engineMod.loadSqlEngine(initSqlJs, {
			wasmURL: join(root, 'node_modules/sql.js/dist/sql-wasm.wasm')
		});
		engine.open('bench', new Uint8Array());
		engine.exec(
			'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, "a");',
			{
				db: 'bench'
			}
		);
		// The part of src/core/runtime.ts's Runtime the SkyRL-SQL preset uses.
		const runtime = {
			sql: {
				exec: async (sql, { signal: _signal, ...options }) => engine.exec(sql, options),
				schema: async (db) => engine.schema(db)
			}
		};
		const steps = quick ? 10 : 30;
		const episodes = quick ? 2 : 5;
		server = await startOpenAiServer(() => ({ chunks: [step] }));
		const overheads = [];
		for (let e = 0; e <= episodes; e++) {
			let turn = 0;
			const marks = [];
			const provider = timedProvider(
				new OpenAiProvider({ baseUrl: server.url, model: 'test-model' }),
				marks
			);
			const events = [];
			for await (const event of runAgent({
				provider,
				runtime,
				preset: getPreset('skyrl-sql'),
				task: { question: 'bench', db: 'bench' },
				mode: 'chat',
				budgets: { maxTurns: steps }
			})) {
				events.push(event);
				if (event.type === 'call') turn++;
			}
			const observations = events.filter((x) => x.type === 'observation');
			if (observations.length < steps - 1)
				throw new Error(
					`episode made ${observations.length} observations in ${turn} calls: ${JSON.stringify(events.filter((x) => x.type === 'error' || x.type === 'stop'))}`
				);
			// Episode 0 warms up the JIT and the connection pool; it is not counted.
			if (e === 0) continue;
			for (let i = 1; i < marks.length; i++) overheads.push(marks[i].call - marks[i - 1].done);
		}
		const sorted = [...overheads].sort((a, b) => a - b);
		const mid = sorted.length >> 1;
		const value = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
		return {
			value,
			samples: overheads,
			note:
				'Node, not the browser: real runAgent + skyrl-sql preset (chat mode) + OpenAiProvider against ' +
				'the scripted SSE server of test/fixtures, SELECT 1 on an in-process SqlEngine (sql.js, no ' +
				'worker hop; the browser adds sql.roundTripMedian per action). Per step: end of one model ' +
				`stream → start of the next request; ${episodes} episodes × ${steps - 1} steps, median`
		};
	} finally {
		await server?.close();
		await vite.close();
	}
}

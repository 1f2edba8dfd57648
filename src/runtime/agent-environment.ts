// The page's side of an agent run (src/core/agent/agent-run.ts): its worker clients, bundled
// sample databases opened on demand, the engine versions a trace header records, and the trace
// store every run is saved to as it happens (its code loads with the first run).
import type { AgentEnvironment, RunRecorder, RunSink } from '../core/agent/agent-run.ts';
import type { AgentEvent } from '../core/trace/events.ts';
import { runtime } from './index.ts';
import { pageTraceStore, tellProblem } from './page-trace-store.ts';
import type { TraceStore } from './trace-store.ts';

export { onHistoryProblem, pageTraceStore } from './page-trace-store.ts';

/**
 * A recorder whose store loads on demand: events that arrive before it is there wait in order,
 * then go to the store's own sink, so a run never waits for the store's code.
 */
export function lazyRecorder(
	load: () => Promise<TraceStore>,
	report: (message: string) => void = tellProblem
): RunRecorder {
	return {
		async prepare() {
			await (
				await load()
			).ready;
		},
		open(source, spec) {
			let sink: RunSink | null = null;
			const queue: (AgentEvent | null)[] = [];
			const drain = (s: RunSink) => {
				for (const e of queue.splice(0)) {
					if (e) s.write(e);
					else s.close();
				}
			};
			load().then(
				(s) => drain((sink = s.recorder.open(source, spec))),
				(e: unknown) => {
					queue.splice(0);
					report(`Runs are not being saved: the trace store did not load (${String(e)}).`);
				}
			);
			return {
				write: (e) => (sink ? sink.write(e) : void queue.push(e)),
				close: () => (sink ? sink.close() : void queue.push(null))
			};
		}
	};
}

/** The page's agent environment (the workers start on first use). */
export const agentEnvironment: AgentEnvironment = {
	runtime,
	recorder: lazyRecorder(pageTraceStore),
	async ensureDb(db) {
		await runtime.sql.ready;
		if (runtime.sql.list().includes(db)) return;
		await runtime.sql.openSample(db);
	},
	async engines(): Promise<Record<string, string>> {
		const sql = await runtime.sql.ready.catch(() => null);
		return sql ? { sqlite: sql.sqliteVersion } : {};
	}
};

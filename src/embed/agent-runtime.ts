import type { Executors } from '../core/executors.ts';
import type { ReplayTurn } from '../core/providers/replay.ts';
import { recordedCalls, type Trace } from '../core/trace/trace.ts';

// What the Agent tab and the embed `agent-run` share: the page's executors (workers) and bundled
// databases opened on demand.

/** The page's engines as the loop needs them. */
export interface AgentRuntime {
	executors: Executors;
	/** Opens a bundled sample under its name unless a database of that name is already open. */
	ensureDb(db: string): Promise<void>;
	/** Engine versions for the trace header. */
	engines(): Promise<Record<string, string>>;
}

let shared: Promise<AgentRuntime> | null = null;

/** The page's agent runtime (workers start on first use); one per page. */
export function loadAgentRuntime(): Promise<AgentRuntime> {
	shared ??= Promise.all([import('../runtime/index.ts'), import('../runtime/executors.ts')]).then(
		([{ runtime }, { createExecutors }]): AgentRuntime => ({
			executors: createExecutors(runtime),
			async ensureDb(db) {
				await runtime.sql.ready;
				if (runtime.sql.list().includes(db)) return;
				await runtime.sql.openSample(db);
			},
			async engines(): Promise<Record<string, string>> {
				const sql = await runtime.sql.ready.catch(() => null);
				return sql ? { sqlite: sql.sqliteVersion } : {};
			}
		})
	);
	return shared!;
}

/** The recorded model output of a trace as Replay turns (text, finish reason, tool calls). */
export function replayTurnsFromTrace(trace: Trace): ReplayTurn[] {
	return recordedCalls(trace).map((c) => ({
		text: c.text,
		// A call the loop cut at an action's end replays whole; the parser cuts it again.
		finishReason: c.finishReason === 'cut' ? 'stop' : c.finishReason,
		...(c.toolCalls?.length ? { toolCalls: c.toolCalls } : {})
	}));
}

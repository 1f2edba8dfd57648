import type { Executors } from '../core/executors.ts';
import { createProvider, ProviderError, type ProviderConfig } from '../core/providers/index.ts';
import type { ReplayTurn } from '../core/providers/replay.ts';
import type { GenerateRequest, Provider, StreamChunk, ToolCall } from '../core/providers/types.ts';
import { recordedCalls, type Trace } from '../core/trace/trace.ts';

// What the Agent tab and the embed `agent-run` share: the page's executors (workers), bundled
// databases opened on demand, and providers whose failures keep the doctor's fixes.

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

/** A provider that remembers its last failure, so the UI can show the doctor's fixes. */
export interface CapturingProvider extends Provider {
	/** The last ProviderError thrown by `generate` (kept with its `fixes`). */
	readonly lastError: ProviderError | null;
}

/** Wraps a provider so its last ProviderError is kept (the loop's error event has only the message). */
export function captureErrors(inner: Provider): CapturingProvider {
	let lastError: ProviderError | null = null;
	return {
		kind: inner.kind,
		model: inner.model,
		get lastError() {
			return lastError;
		},
		...(inner.listModels ? { listModels: () => inner.listModels!() } : {}),
		async *generate(request: GenerateRequest): AsyncIterable<StreamChunk> {
			try {
				yield* inner.generate(request);
			} catch (e) {
				if (e instanceof ProviderError) lastError = e;
				throw e;
			}
		}
	};
}

/** Builds a provider from its settings, keeping failures for display. */
export async function buildProvider(config: ProviderConfig): Promise<CapturingProvider> {
	return captureErrors(await createProvider(config));
}

const toolNames: Record<string, string> = { python: 'run_python', sql: 'run_sql' };

/**
 * The recorded model output of a trace as Replay turns: each call's text and finish reason, and
 * for the native tool preset the tool calls it made (rebuilt from its action/answer events).
 */
export function replayTurnsFromTrace(trace: Trace): ReplayTurn[] {
	const calls = recordedCalls(trace);
	const toolCalls = new Map<number, ToolCall[]>();
	let call = 0;
	for (const e of trace.events) {
		if (e.type === 'call') call = e.call;
		else if (e.type === 'action' && e.toolCallId) {
			const list = toolCalls.get(call) ?? [];
			list.push({ id: e.toolCallId, name: toolNames[e.kind], arguments: e.raw });
			toolCalls.set(call, list);
		} else if (e.type === 'answer' && trace.header.presetId === 'tools') {
			const list = toolCalls.get(call) ?? [];
			list.push({ id: `submit-${call}`, name: 'submit', arguments: e.raw });
			toolCalls.set(call, list);
		}
	}
	return calls.map((c, i) => {
		const tools = toolCalls.get(i + 1);
		return {
			text: c.text,
			finishReason: c.finishReason === 'cut' ? 'stop' : c.finishReason,
			...(tools ? { toolCalls: tools } : {})
		};
	});
}

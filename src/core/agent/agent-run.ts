// The one agent-run service: what the Agent tab (src/state/agent-session.svelte.ts) and the embed
// `agent-run` request (src/embed/agent-run.ts) both do to run an agent. Each caller only adapts
// its input and the outcome (status and problem text in the tab, the contract's result for a host).
import { getPreset } from '../presets/index.ts';
import type { Preset, PromptTemplate } from '../presets/types.ts';
import { createProvider, type ProviderConfig } from '../providers/index.ts';
import type { Provider } from '../providers/types.ts';
import type { Runtime } from '../runtime.ts';
import type { AgentEvent, AgentTask, Budgets, EventOf, StopReason } from '../trace/events.ts';
import { traceFromEvents, type Trace } from '../trace/trace.ts';
import type { Sampling } from './loop-support.ts';
import { runAgent } from './loop.ts';

/** What a run needs from the page (or, in tests, from Node): the engines and the task's database. */
export interface AgentEnvironment {
	runtime: Runtime;
	/** Makes a task's database available (a bundled sample opened unless one of that name is open). */
	ensureDb(db: string): Promise<void>;
	/** Engine versions for the trace header. */
	engines(): Promise<Record<string, string>>;
	/** Saves every run as it happens (the page's trace store); absent in tests that need none. */
	recorder?: RunRecorder;
}

/** Who asked for a run: the Agent tab, a host page's `agent-run` (with the host's origin), or an Eval-tab batch run (its samples). */
export interface RunSource {
	kind: 'ui' | 'embed' | 'eval';
	origin?: string;
	/** The eval run whose model sample this trace is (kind `eval`). */
	evalRun?: string;
}

/** Where a run's events go as they happen; it must not throw (the service catches it if it does). */
export interface RunSink {
	/** Takes one event, before the run's next step. */
	write(event: AgentEvent): void;
	/** The run is over (its last event was written, or it threw). */
	close(): void;
}

/** Saves runs as they happen: `open` is called once per run that starts, before its first event. */
export interface RunRecorder {
	/**
	 * Gets ready to write (e.g. loads its code, opens its database); awaited before the run starts,
	 * at most {@link recorderPrepareMs}, so the first events are written as they happen.
	 */
	prepare?(): Promise<void>;
	open(source: RunSource, spec: AgentRunSpec): RunSink;
	/** Where a recorder failure is reported (a failing recorder never breaks a run). */
	onError?(error: unknown): void;
}

/** One run as its caller asks for it. */
export interface AgentRunSpec {
	presetId: string;
	task: AgentTask;
	/**
	 * A provider, or its settings (built once the task's database is ready), or a function that
	 * reads them from the request (checked after the preset, before the database).
	 */
	provider: Provider | ProviderConfig | (() => ProviderConfig);
	mode?: 'chat' | 'completion';
	budgets?: Budgets;
	template?: PromptTemplate;
	sampling?: Sampling;
	/** Python session of the run's actions (default: a fresh one). */
	session?: string;
	signal?: AbortSignal;
	/** Who asked for the run (default: the Agent tab). */
	source?: RunSource;
}

/** A run that did not start: the preset does not take the task, the provider settings are not valid, or the database is missing. */
export type AgentRunRefusal =
	| { refused: 'task-kind'; preset: Preset; kind: 'sql' | 'python' }
	| { refused: 'provider'; error: unknown }
	| { refused: 'database'; db: string; message: string };

/** How a run ended: its events and trace, why it stopped, its last reward and its fatal error. */
export interface AgentRunOutcome {
	refused?: undefined;
	events: AgentEvent[];
	/** The trace, when the run started (its first event is `start`). */
	trace: Trace | null;
	stopReason: StopReason | null;
	reward: number | null;
	/** The fatal error event, with the doctor's fixes of a provider failure. */
	error: EventOf<'error'> | null;
}

/** The kind of a task: SQL (it has a question) or Python. */
export function taskKind(task: AgentTask): 'sql' | 'python' {
	return 'question' in task ? 'sql' : 'python';
}

/** The preset of a run, or the refusal when it does not take the task's kind. */
export function presetFor(
	presetId: string,
	task: AgentTask
): { preset: Preset } | Extract<AgentRunRefusal, { refused: 'task-kind' }> {
	const preset = getPreset(presetId);
	const kind = taskKind(task);
	return preset.kinds.includes(kind) ? { preset } : { refused: 'task-kind', preset, kind };
}

/**
 * Runs an agent: checks that the preset takes the task, opens its database, builds the provider,
 * runs the loop (each event to `onEvent` as it comes) and sums up the outcome. A provider that
 * cannot be built rejects; everything that goes wrong inside the run is in its events.
 */
export async function runAgentService(
	spec: AgentRunSpec,
	env: AgentEnvironment,
	onEvent: (event: AgentEvent) => void = () => {}
): Promise<AgentRunRefusal | AgentRunOutcome> {
	const picked = presetFor(spec.presetId, spec.task);
	if ('refused' in picked) return picked;
	const { preset } = picked;
	let given: Provider | ProviderConfig;
	try {
		given = typeof spec.provider === 'function' ? spec.provider() : spec.provider;
	} catch (error) {
		return { refused: 'provider', error };
	}
	if ('db' in spec.task) {
		try {
			await env.ensureDb(spec.task.db);
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			return { refused: 'database', db: spec.task.db, message };
		}
	}
	const provider = 'generate' in given ? given : await createProvider(given);
	const events: AgentEvent[] = [];
	await prepareRecorder(env.recorder);
	const sink = openSink(env.recorder, spec);
	try {
		for await (const event of runAgent({
			provider,
			runtime: env.runtime,
			preset,
			task: spec.task,
			engines: await env.engines(),
			...(spec.mode ? { mode: spec.mode } : {}),
			...(spec.budgets ? { budgets: spec.budgets } : {}),
			...(spec.template ? { template: spec.template } : {}),
			...(spec.sampling ? { sampling: spec.sampling } : {}),
			...(spec.session ? { session: spec.session } : {}),
			...(spec.signal ? { signal: spec.signal } : {})
		})) {
			events.push(event);
			sink.write(event);
			onEvent(event);
		}
	} finally {
		sink.close();
	}
	return summarize(events);
}

const noSink: RunSink = { write() {}, close() {} };

/** The longest a run waits for its recorder to get ready. */
export const recorderPrepareMs = 2000;

/** Waits for the recorder to be ready, at most {@link recorderPrepareMs}; a failure is reported, not thrown. */
async function prepareRecorder(recorder: RunRecorder | undefined): Promise<void> {
	if (!recorder?.prepare) return;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, recorderPrepareMs)));
	try {
		await Promise.race([recorder.prepare(), late]);
	} catch (error) {
		try {
			recorder.onError?.(error);
		} catch {
			// As in openSink: a failing report channel must not break the run.
		}
	} finally {
		clearTimeout(timer);
	}
}

/** The recorder's sink for a run, guarded so that a recorder failure never reaches the run. */
function openSink(recorder: RunRecorder | undefined, spec: AgentRunSpec): RunSink {
	if (!recorder) return noSink;
	const report = (error: unknown) => {
		try {
			recorder.onError?.(error);
		} catch {
			// The report channel itself failed: nothing else can be done without breaking the run.
		}
	};
	let sink: RunSink;
	try {
		sink = recorder.open(spec.source ?? { kind: 'ui' }, spec);
	} catch (error) {
		report(error);
		return noSink;
	}
	const guard = (fn: () => void): void => {
		try {
			fn();
		} catch (error) {
			report(error);
		}
	};
	return {
		write: (event) => guard(() => sink.write(event)),
		close: () => guard(() => sink.close())
	};
}

/** The outcome of a run's events. */
function summarize(events: AgentEvent[]): AgentRunOutcome {
	const stop = events.findLast((e) => e.type === 'stop');
	const reward = events.findLast((e) => e.type === 'reward');
	const error = events.findLast((e) => e.type === 'error' && e.fatal);
	return {
		events,
		trace: events[0]?.type === 'start' ? traceFromEvents(events) : null,
		stopReason: stop?.type === 'stop' ? stop.reason : null,
		reward: reward?.type === 'reward' ? reward.value : null,
		error: error?.type === 'error' ? error : null
	};
}

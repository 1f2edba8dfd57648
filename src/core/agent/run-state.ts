import type { Preset, PresetRun, PromptTemplate } from '../presets/types.ts';
import type { Provider } from '../providers/types.ts';
import type { Runtime } from '../runtime.ts';
import type { AgentEvent, AgentTask, Budgets, StopReason, TraceHeader } from '../trace/events.ts';
import { Conversation } from './conversation.ts';
import { buildHeader, type Sampling } from './loop-support.ts';
import type { Emit, StepContext } from './run-steps.ts';

// A run's state, set up before its first turn: settings, clock, signal, conversation and spending.

/** Everything a run needs, passed in (real engines and a real or recorded provider). */
export interface RunAgentOptions {
	provider: Provider;
	runtime: Runtime;
	preset: Preset;
	task: AgentTask;
	/** `chat` (observation as a user/tool message) or `completion` (same text continued); preset default. */
	mode?: 'chat' | 'completion';
	budgets?: Budgets;
	/** The edited template; the preset's default otherwise. */
	template?: PromptTemplate;
	sampling?: Sampling;
	/** The user's Stop: reaches the model request and the engines. */
	signal?: AbortSignal;
	/** Python session for this run's actions (default: a fresh name). */
	session?: string;
	/** Engine versions and database hash recorded in the trace header. */
	engines?: Record<string, string>;
	dbHash?: string;
}

/** A run's settings, clock and signal, worked out from its options before anything runs. */
export interface RunSetup {
	options: RunAgentOptions;
	mode: 'chat' | 'completion';
	budgets: Budgets;
	maxTurns: number;
	template: PromptTemplate;
	sampling: Sampling;
	/** When the time budget runs out (performance.now() clock), or Infinity. */
	deadline: number;
	/** Aborted by the user's Stop, the time budget, or the run's end. */
	signal: AbortSignal;
	/** Ends the model request and any execution (the run is over). */
	end: () => void;
	ev: (e: Emit) => AgentEvent;
	stopReason: () => StopReason;
	header: (prompt?: TraceHeader['prompt']) => TraceHeader;
}

/** A started run: its setup, the preset's run, the conversation and what was spent. */
export interface RunState extends RunSetup {
	run: PresetRun;
	conversation: Conversation;
	ctx: StepContext;
	tokensUsed: number;
	calls: number;
}

/** The run's mode, budgets, clock and signal (the user's Stop, the time budget, the run's end). */
export function setUp(options: RunAgentOptions): RunSetup {
	const { provider, preset } = options;
	const t0 = performance.now();
	// Anthropic's API has no raw completion: unless a mode is asked for, such presets run as chat there.
	const mode =
		options.mode ??
		(provider.kind === 'anthropic' && preset.modes.includes('chat') ? 'chat' : preset.defaultMode);
	const budgets: Budgets = { maxTurns: preset.defaultMaxTurns, ...options.budgets };
	const template = options.template ?? preset.defaultTemplate;
	const sampling = options.sampling ?? {};
	const ended = new AbortController();
	const timeout = budgets.maxMs === undefined ? undefined : AbortSignal.timeout(budgets.maxMs);
	const signal = AbortSignal.any(
		[ended.signal, options.signal, timeout].filter((s): s is AbortSignal => s !== undefined)
	);
	return {
		options,
		mode,
		budgets,
		maxTurns: budgets.maxTurns!,
		template,
		sampling,
		deadline: budgets.maxMs === undefined ? Infinity : t0 + budgets.maxMs,
		signal,
		end: () => ended.abort(),
		ev: (e) => ({ ...e, t: Math.round((performance.now() - t0) * 1000) / 1000 }) as AgentEvent,
		// The combined signal takes the reason of the signal that fired: the timeout's is its own.
		stopReason: () => (timeout !== undefined && signal.reason === timeout.reason ? 'time' : 'user'),
		header: (prompt = { system: '', user: '', completion: '' }) =>
			buildHeader({
				...options,
				// A preset may withhold part of the task from the record (CodeARC's hidden function).
				task: preset.publicTask?.(options.task) ?? options.task,
				mode,
				template,
				sampling,
				budgets,
				prompt
			})
	};
}

/** Has the preset prepare its run (rejects on a mode it lacks or a failed start). */
export async function startPreset(setup: RunSetup): Promise<PresetRun> {
	const { options, mode, budgets } = setup;
	const { preset } = options;
	if (!preset.modes.includes(mode))
		throw new RangeError(`Preset "${preset.id}" has no ${mode} mode`);
	return preset.start(
		{
			task: options.task,
			runtime: options.runtime,
			mode,
			maxTurns: setup.maxTurns,
			execTimeoutMs: budgets.execTimeoutMs,
			session: options.session ?? `agent-${Math.random().toString(36).slice(2)}`
		},
		setup.template
	);
}

/** The state of a started run. */
export function begin(setup: RunSetup, run: PresetRun): RunState {
	const conversation = new Conversation(setup.mode, run);
	const ctx: StepContext = {
		run,
		signal: setup.signal,
		ev: setup.ev,
		stopReason: setup.stopReason,
		history: () => conversation.history()
	};
	return { ...setup, run, conversation, ctx, tokensUsed: 0, calls: 0 };
}

/** Tokens left in the run's budget, or null without one. */
export function tokensLeft(s: RunState): number | null {
	return s.budgets.maxTokens === undefined ? null : s.budgets.maxTokens - s.tokensUsed;
}

/** Why the run stops before its next model call (Stop, time, tokens), or null. */
export function stopBeforeCall(s: RunState): StopReason | null {
	if (s.signal.aborted) return s.stopReason();
	const left = tokensLeft(s);
	return left !== null && left <= 0 ? 'tokens' : null;
}

/** The budget report after a turn. */
export function budgetEvent(s: RunState, turn: number): AgentEvent {
	return s.ev({
		type: 'budget',
		turnsLeft: s.maxTurns - turn,
		tokensLeft: tokensLeft(s),
		msLeft: Number.isFinite(s.deadline)
			? Math.max(0, Math.round(s.deadline - performance.now()))
			: null
	});
}

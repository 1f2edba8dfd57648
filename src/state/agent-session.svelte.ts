import {
	presetFor,
	runAgentService,
	taskKind,
	type AgentEnvironment,
	type AgentRunSpec
} from '../core/agent/agent-run.ts';
import { replayTurnsFromTrace } from '../core/agent/replay-turns.ts';
import {
	createProvider,
	ManualProvider,
	type Provider,
	type ProviderConfig
} from '../core/providers/index.ts';
import { completeCallCount, ReplayThenLiveProvider } from '../core/providers/replay-then-live.ts';
import type { Preset, PresetId } from '../core/presets/types.ts';
import type { AgentTask } from '../core/trace/events.ts';
import { resolveTraceParam, shareLink, type ShareLink } from '../core/trace/share-link.ts';
import { readTraceRecord, traceToV1, traceToV2, type TraceV2 } from '../core/trace/trace-v2.ts';
import { toExeclabJson } from '../core/export/execlab.ts';
import { eventsFromTrace, type Trace } from '../core/trace/trace.ts';
import { isSampleTracePreset } from '../core/eval/batch/sample-trace-id.ts';
import { downloadBlob } from '../lib/download.ts';
import { AgentSettings } from './agent-settings.svelte.ts';
import { AgentTaskDraft } from './agent-task.svelte.ts';
import { Transcript } from './agent-transcript.svelte.ts';
import { loadText } from './persistence.ts';
import { ReplayControl } from './replay-control.svelte.ts';
import { settingsProviderConfig } from './provider-config.ts';
import { createReplayPlan, type ReplayPlan, type ReplaySource } from './replay-plan.ts';

export type { ReplaySource };

/** The session the Agent tab offers on first open: recorded output and what it was recorded on. */
export interface DefaultSession {
	load(): Promise<{
		source: ReplaySource;
		task: AgentTask;
		presetId: PresetId;
		mode: 'chat' | 'completion';
	}>;
}

/** How an opened trace is used: replayed as recorded, or continued by the tab's live provider. */
export type OpenMode = 'replay' | 'continue';

/** The Agent tab: settings, task, the running loop, its transcript, Stop, trace export and replay. */
export class AgentSession {
	readonly settings = new AgentSettings();
	readonly draft = new AgentTaskDraft();
	readonly transcript = new Transcript();
	running = $state(false);
	/** A one-line status (loading a model, waiting for the engines …). */
	status = $state('');
	/** A problem before the loop could start (form, database, provider settings). */
	problem = $state('');
	/** What Replay plays. */
	replay = $state.raw<ReplaySource | null>(null);
	/** The Manual provider of the running session, while it waits for the person's turn. */
	manualWaiting = $state(false);
	/** Models offered by the provider, once listed. */
	models = $state.raw<string[]>([]);
	/** The trace of the last finished run. */
	lastTrace = $state.raw<Trace | null>(null);
	/** Whether Run replays the loaded trace or continues it with the live provider. */
	openMode = $state<OpenMode>('replay');
	/** Step, pace, divergence choices and the divergences of the replay. */
	readonly replayControl = new ReplayControl();
	/** The last share-link attempt: a link, or a trace too large for one (offer a file). */
	share = $state.raw<ShareLink | null>(null);
	readonly #env: AgentEnvironment;
	#controller: AbortController | null = null;
	#manual: ManualProvider | null = null;
	#runs = 0;
	// An embedded replay (`?embed=1&trace=`) must not overwrite the user's own saved settings.
	#persist = true;

	/** A session whose runs use `env` (the page's workers). */
	constructor(env: AgentEnvironment) {
		this.#env = env;
	}

	/** On first open (nothing saved yet) a recorded session is loaded, ready to replay without a key. */
	async init(defaults: DefaultSession): Promise<void> {
		const firstOpen = loadText('agent-settings') === null;
		if (!firstOpen && this.settings.kind !== 'replay') return;
		const loaded = await defaults.load();
		if (this.replay) return;
		this.replay = loaded.source;
		if (firstOpen) {
			this.settings.kind = 'replay';
			this.settings.setPreset(loaded.presetId);
			this.settings.mode = loaded.mode;
			this.draft.fill(loaded.task, loaded.task.id ?? '');
		}
	}

	/** Uses a trace for Replay: its task, preset and mode fill the form so the run matches it. */
	useTrace(trace: Trace, title: string): void {
		this.replay = { title, turns: replayTurnsFromTrace(trace), trace };
		this.openMode = 'replay';
		this.settings.kind = 'replay';
		this.#fillFrom(trace);
	}

	/**
	 * Opens a trace in the tab (History, a share link, a file): `replay` plays its recorded model
	 * turns through the loop with live execution; `continue` plays its complete turns, then the
	 * provider of the tab's settings takes over. Returns false (and says why) while a run is going.
	 */
	openTrace(trace: Trace | TraceV2, options: { title: string; mode: OpenMode }): boolean {
		if (this.running) {
			this.problem = 'Stop the running session before opening another trace.';
			return false;
		}
		const v1 = trace.version === 2 ? traceToV1(trace) : trace;
		this.problem = '';
		if (isSampleTracePreset(v1.header.presetId)) return this.#show(v1, options.title);
		if (options.mode === 'replay') this.useTrace(v1, options.title);
		else {
			const turns = replayTurnsFromTrace(v1).slice(0, completeCallCount(v1.events));
			this.replay = { title: options.title, turns, trace: v1 };
			this.openMode = 'continue';
			this.#fillFrom(v1);
		}
		this.transcript.clear();
		this.replayControl.reset();
		this.lastTrace = null;
		this.share = null;
		this.status =
			options.mode === 'replay'
				? `Opened ${options.title}: press Run replay to replay it (every action runs live).`
				: `Opened ${options.title}: Run replays its ${this.replay?.turns.length ?? 0} complete turns, then your provider continues.`;
		return true;
	}

	/**
	 * Shows a trace as recorded, without replaying it: an Eval-tab batch sample is one model call
	 * under a batch preset (not an agent preset), so there is no loop to replay it through.
	 */
	#show(trace: Trace, title: string): boolean {
		this.transcript.clear();
		for (const event of eventsFromTrace(trace)) this.transcript.apply(event);
		this.replayControl.reset();
		this.replay = null;
		this.lastTrace = trace;
		this.share = null;
		this.status = `Opened ${title}: one model call of an evaluation run, shown as recorded (it is not an agent run, so it is not replayed).`;
		return true;
	}

	/** Switches the opened trace between replaying it and continuing it with the live provider. */
	setOpenMode(mode: OpenMode): void {
		const source = this.replay;
		if (!source?.trace || mode === this.openMode) return;
		const kind = this.settings.kind;
		this.openTrace(source.trace, { title: source.title, mode });
		// Replaying needs the Replay provider; continuing keeps the model picked in the settings.
		if (mode === 'continue') this.settings.kind = kind;
	}

	/**
	 * Opens the trace a link names (`#trace=` or `?trace=`: a payload or a URL, see share-link.ts)
	 * for replay, and runs it when `run` is set. A frame's replay (`embedded`) saves no settings.
	 */
	async openLink(value: string, options: { base: string; run: boolean; embedded: boolean }) {
		if (options.embedded) this.#persist = false;
		this.status = 'Opening the shared trace…';
		try {
			const trace = await resolveTraceParam(value, options.base);
			const title = `shared ${trace.header.presetId} trace`;
			if (this.openTrace(trace, { title, mode: 'replay' }) && options.run) await this.run();
		} catch (e) {
			this.status = '';
			this.problem = e instanceof Error ? e.message : String(e);
		}
	}

	/** The form takes a trace's preset, mode, turn budget and task, so a run matches it. */
	#fillFrom(trace: Trace): void {
		this.settings.setPreset(trace.header.presetId as PresetId);
		this.settings.mode = trace.header.mode;
		if (trace.header.budgets.maxTurns) this.settings.maxTurns = trace.header.budgets.maxTurns;
		this.draft.fill(trace.header.task, trace.header.task.id ?? '');
		if (this.#persist) this.settings.save();
	}

	/** Reads a trace file chosen by the user and shows it in the transcript, ready to replay. */
	async loadTraceFile(file: File): Promise<void> {
		this.problem = '';
		try {
			this.openTrace(readTraceRecord(JSON.parse(await file.text())), {
				title: file.name,
				mode: 'replay'
			});
		} catch (e) {
			this.problem = e instanceof Error ? e.message : String(e);
		}
	}

	/** The settings as a provider config (the key comes from memory). */
	providerConfig(): ProviderConfig {
		return settingsProviderConfig(this.settings, this.replay, this.replayControl.pace, (text) => {
			this.status = text;
		});
	}

	/** Lists the provider's models into {@link models}. */
	async listModels(): Promise<void> {
		this.problem = '';
		try {
			const provider = await createProvider(this.providerConfig());
			this.models = (await provider.listModels?.()) ?? [];
			this.status = `${this.models.length} models offered.`;
		} catch (e) {
			this.models = [];
			this.problem = e instanceof Error ? e.message : String(e);
		}
	}

	/** Runs the agent on the task with the settings; resolves when the run has ended. */
	async run(): Promise<void> {
		if (this.running) return;
		this.problem = '';
		this.status = '';
		let config: ProviderConfig;
		let task: AgentTask;
		try {
			task = this.draft.toTask();
			config = this.providerConfig();
		} catch (e) {
			this.problem = e instanceof Error ? e.message : String(e);
			return;
		}
		// Checked here too, so a wrong pick leaves the form unsaved and the last transcript shown.
		const picked = presetFor(this.settings.presetId, task);
		if ('refused' in picked) {
			this.problem = kindProblem(picked.preset);
			return;
		}
		const kind = taskKind(task);
		if (this.#persist) {
			this.draft.save();
			this.settings.save();
		}
		this.running = true;
		this.transcript.clear();
		this.lastTrace = null;
		this.share = null;
		const controller = new AbortController();
		this.#controller = controller;
		const session = `agent-ui-${++this.#runs}`;
		let note = '';
		try {
			this.status = 'Starting the engines…';
			const replay = await this.#replayPlan(config, controller, (text) => (note = text));
			const outcome = await runAgentService(
				this.#spec(task, replay?.provider ?? config, session, controller),
				this.#env,
				(event) => {
					if (event.type === 'start') this.status = '';
					this.transcript.apply(event);
					replay?.observe(event);
				}
			);
			if (outcome.refused === 'database') this.problem = outcome.message;
			else if (outcome.refused === 'task-kind') this.problem = kindProblem(outcome.preset);
			else if (outcome.refused === undefined) {
				this.lastTrace = outcome.trace;
				replay?.finish(outcome.stopReason);
			}
		} catch (e) {
			this.problem = e instanceof Error ? e.message : String(e);
		} finally {
			this.running = false;
			this.manualWaiting = false;
			this.replayControl.settle();
			this.#manual = null;
			this.#controller = null;
			this.status = note;
			if (kind === 'python') void this.#env.runtime.python.reset(session).catch(() => {});
		}
	}

	/** The replay plan of a run with `config`, or null for a plain live run. */
	async #replayPlan(
		config: ProviderConfig,
		controller: AbortController,
		onNote: (text: string) => void
	): Promise<ReplayPlan | null> {
		const source = this.replay;
		const continuing = this.openMode === 'continue' && config.kind !== 'replay';
		if (!source || (config.kind !== 'replay' && !continuing)) return null;
		let live: Provider | undefined;
		if (continuing)
			live = config.kind === 'manual' ? this.#manualProvider() : await createProvider(config);
		return createReplayPlan({
			source,
			control: this.replayControl,
			...(live ? { live } : {}),
			onNote,
			abort: () => controller.abort()
		});
	}

	/** The service's request for a run of the form's task with the settings. */
	#spec(
		task: AgentTask,
		config: ProviderConfig | Provider,
		session: string,
		controller: AbortController
	): AgentRunSpec {
		// A recorded trace replays (and continues) with the template it was recorded with.
		const replayed = config instanceof ReplayThenLiveProvider || config.kind === 'replay';
		const recorded = replayed ? this.replay?.trace?.header.template : undefined;
		const template =
			recorded ?? (this.settings.templateEdited ? this.settings.template : undefined);
		const temperature = this.settings.temperature;
		return {
			presetId: this.settings.presetId,
			task,
			provider: 'generate' in config || config.kind !== 'manual' ? config : this.#manualProvider(),
			mode: this.settings.mode,
			budgets: this.settings.budgets,
			session,
			signal: controller.signal,
			...(template ? { template } : {}),
			// The token limit is the run's budget (budgets.maxTokens), which also caps each request.
			sampling: temperature === null ? {} : { temperature },
			// A frame's replay (`?embed=1&trace=`) is the host page's, not one of the user's own runs.
			...(this.#persist ? {} : { source: { kind: 'embed' as const } })
		};
	}

	#manualProvider(): ManualProvider {
		const manual = new ManualProvider();
		this.#manual = manual;
		manual.onPending((pending) => (this.manualWaiting = pending !== null));
		return manual;
	}

	/** Gives the model's turn typed by the person (Manual provider). */
	submitManual(text: string): void {
		this.#manual?.submit(text);
	}

	/** Stops the run: the model request and the running execution are cancelled. */
	stop(): void {
		this.#controller?.abort();
	}

	/** A share link of the last run's trace (else of the opened one) on this page, in {@link share}. */
	shareTrace(base: string): ShareLink | null {
		const trace = this.lastTrace ?? this.replay?.trace ?? null;
		this.share = trace ? shareLink(trace, base) : null;
		return this.share;
	}

	/** Downloads a trace (default: the last run's) as JSON. */
	downloadTrace(trace: Trace | null = this.lastTrace ?? this.replay?.trace ?? null): void {
		if (!trace) return;
		const stamp = trace.header.startedAt.replace(/[:.]/g, '-');
		downloadBlob(
			new Blob([toExeclabJson(traceToV2(trace))], { type: 'application/json' }),
			`execlab-trace-${trace.header.presetId}-${stamp}.json`
		);
	}
}

/** The problem text of a preset that does not take the form's task. */
function kindProblem(preset: Preset): string {
	return `${preset.label} works on ${preset.kinds.join(' or ')} tasks; pick another preset or task.`;
}

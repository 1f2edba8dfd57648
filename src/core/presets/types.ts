import type { Runtime } from '../runtime.ts';
import type { ChatMessage, ToolCall, ToolSpec } from '../providers/types.ts';
import type { TurnOutcome, TurnParser } from '../agent/stream-parser.ts';
import type { ActionKind, AgentTask, ObservationStatus, RenderedPrompt } from '../trace/events.ts';

/** The preset ids of the embed contract (issue 4). */
export type PresetId =
	| 'skyrl-sql'
	| 'python-feedback'
	| 'intercode-react'
	| 'intercode-try-again'
	| 'fenced'
	| 'tools'
	| 'mokav'
	| 'codearc';

/** An editable prompt template: `{placeholders}` are filled from the task. */
export interface PromptTemplate {
	system: string;
	user: string;
}

/** An observation as the preset formatted it for the model. */
export interface Observation {
	status: ObservationStatus;
	/** Exactly the text inserted into the model's context. */
	text: string;
	truncated: boolean;
	/** JSON-safe summary of the raw engine result. */
	result: Record<string, unknown>;
	durationMs: number;
}

/** A reward with its parts; `value` is null when it cannot be computed (no gold). */
export interface Reward {
	value: number | null;
	components: Record<string, unknown>;
}

/** What executing an action produced. */
export interface StepResult {
	observation: Observation;
	/** A reward shown along with the observation (InterCode Try Again). */
	reward?: Reward;
	/** The run is over after this step (Try Again reached reward 1). */
	done?: boolean;
}

/** What handling an answer produced: a reward, and feedback when the run goes on. */
export interface AnswerResult {
	reward: Reward | null;
	/** Feedback inserted when the answer failed and turns remain; absent ends the run. */
	feedback?: Observation;
}

/** What a preset needs from the run. */
export interface PresetContext {
	task: AgentTask;
	runtime: Runtime;
	mode: 'chat' | 'completion';
	maxTurns: number;
	/** Per-execution time limit, when the user set one. */
	execTimeoutMs?: number;
	/** Python session of this run. */
	session: string;
}

/** A parsed answer. */
export interface Answer {
	kind: ActionKind;
	code: string;
	raw: string;
	forced?: boolean;
	/** The submit tool call that carried it. */
	toolCallId?: string;
}

/** One run of a preset: its state lives here, the loop drives it. */
export interface PresetRun {
	readonly prompt: RenderedPrompt;
	readonly tools?: ToolSpec[];
	/** Stop strings of the request for a turn (1-based). */
	stop(turn: number): string[];
	/** Completion mode: text appended before the model's turn (e.g. `Thought 2:`). */
	prefix?(turn: number): string;
	/** A fresh incremental parser for a turn. */
	parser(turn: number): TurnParser;
	/** Runs an action. */
	act(
		action: { kind: ActionKind; code: string },
		turn: number,
		signal: AbortSignal
	): Promise<StepResult>;
	/** Observation for an unusable turn (unclosed tag, no action). Return an answer to end the run. */
	invalid(outcome: TurnOutcome, text: string, turn: number): Promise<StepResult | Answer>;
	/** Handles the final answer (tests, reward); `history` is every model text and observation so far. */
	answer(answer: Answer, turn: number, signal: AbortSignal, history: string): Promise<AnswerResult>;
	/** Native tool calls of a turn (the `tools` preset); `error` marks a call that cannot run. */
	toolCalls?(
		calls: ToolCall[]
	): { kind: ActionKind | 'submit'; code: string; call: ToolCall; error?: string }[];
	/** When the turn budget runs out without an answer: a forced answer (ReAct submits) or a final reward. */
	atTurnLimit(
		signal: AbortSignal,
		history: string
	): Promise<{ answer?: Answer; result?: AnswerResult }>;
	/** Completion mode: what one finished turn adds to the transcript (default: its text + observation). */
	renderTurn?(turnText: string, turn: number, observation: string): string;
	/** Chat mode: messages actually sent (InterCode's dialogue limit). */
	window?(messages: ChatMessage[]): ChatMessage[];
	/** Whether an action on the last turn is still executed (SkyRL: no, the episode is over). */
	readonly executeOnLastTurn: boolean;
}

/** A link to a public source: shown as `label`, opens `url`. */
export interface SourceLink {
	label: string;
	url: string;
}

/** Where a preset comes from: the work in words, then its paper and official code as links. */
export interface PresetSource {
	/** The work it follows (e.g. "InterCode ReAct (Yang et al., 2023)"), or our own design. */
	label: string;
	/** The paper, then the repository files it was taken from; empty for a design of ours. */
	links: SourceLink[];
}

/** A protocol: prompt template, stop strings, action extraction, observation format, answer, reward. */
export interface Preset {
	id: PresetId;
	label: string;
	description: string;
	/** Task kinds it serves. */
	kinds: ActionKind[];
	/** The public work it follows, shown under the preset picker. */
	source: PresetSource;
	defaultTemplate: PromptTemplate;
	defaultMaxTurns: number;
	defaultMode: 'chat' | 'completion';
	modes: ('chat' | 'completion')[];
	/** The task as the trace header records it (CodeARC's play mode withholds the hidden function). */
	publicTask?(task: AgentTask): AgentTask;
	/** Prepares a run (may read the database schema for the prompt). */
	start(context: PresetContext, template: PromptTemplate): Promise<PresetRun>;
}

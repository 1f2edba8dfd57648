// A saved run's line in the history index, derived from its events alone (no zod here: the page's
// recorder builds entries while a run streams, and this must not pull validation into its chunk).
import type { RunSource } from '../agent/agent-run.ts';
import type { AgentEvent, AgentTask, StopReason } from '../trace/events.ts';

/** How a saved run ended, as the History tab shows it. */
export type HistoryOutcome =
	'success' | 'failure' | 'error' | 'stopped' | 'interrupted' | 'running';

/** Every outcome, in the order the filter offers them. */
export const historyOutcomes: readonly HistoryOutcome[] = [
	'success',
	'failure',
	'error',
	'stopped',
	'interrupted',
	'running'
];

/** A v2 trace's own fields beyond header and events (JSON values; see src/core/trace/trace-v2.ts). */
export interface TraceV2Extra {
	databases: { name: string; sha256: string | null }[];
	parameters: Record<string, unknown>;
}

/** One saved run in the history index. */
export interface HistoryEntry {
	id: string;
	title: string;
	/** The task's text (question or description), for search. */
	taskText: string;
	preset: string;
	model: string;
	providerKind: string;
	/** ISO time of the run's start event. */
	startedAt: string;
	/** ISO time of the last write. */
	updatedAt: string;
	outcome: HistoryOutcome;
	/** The final reward (null when none was given). */
	reward: number | null;
	/** Model calls made so far. */
	turns: number;
	/** Events saved so far. */
	events: number;
	source: RunSource;
	/** The file it was imported from (absent for runs made here). */
	imported?: string;
	/** An imported v2 trace's fields beyond its header and events, kept so it exports unchanged. */
	v2?: TraceV2Extra;
}

/** The text of a task (an SQL question or a Python description). */
export function taskText(task: AgentTask): string {
	return 'question' in task ? task.question : task.description;
}

/** A short title for a task: its id when it has one, else the first line of its text, cut. */
export function titleOfTask(task: AgentTask): string {
	const line = taskText(task).trim().split('\n', 1)[0] ?? '';
	const text = line.length > 80 ? `${line.slice(0, 79)}…` : line;
	if (task.id) return text ? `${task.id}: ${text}` : task.id;
	return text || 'Untitled run';
}

/**
 * The outcome of a run that stopped for `reason` with a final `reward`: an error stop is `error`,
 * a user stop `stopped`; otherwise a final reward of at least 1 is `success` and a lower one
 * `failure`; without a reward, an answer (or a solve) is `success` and any other end (turns, tokens
 * or time spent) `failure`. Without a stop (null) the run is `running`, or `interrupted` once its
 * page is gone (see {@link shownOutcome}).
 */
export function outcomeOfStop(reason: StopReason | null, reward: number | null): HistoryOutcome {
	if (reason === null) return 'running';
	if (reason === 'error') return 'error';
	if (reason === 'user') return 'stopped';
	if (reward !== null) return reward >= 1 ? 'success' : 'failure';
	return reason === 'answer' || reason === 'solved' ? 'success' : 'failure';
}

/** The outcome of a run's events (see {@link outcomeOfStop}). */
export function outcomeOfEvents(events: readonly AgentEvent[]): HistoryOutcome {
	return outcomeOfStop(stopReasonOf(events), finalReward(events));
}

/** The reason of the events' stop event (null when there is none). */
export function stopReasonOf(events: readonly AgentEvent[]): StopReason | null {
	const stop = events.findLast((e) => e.type === 'stop');
	return stop?.type === 'stop' ? stop.reason : null;
}

/** The last final reward of the events (null when none). */
export function finalReward(events: readonly AgentEvent[]): number | null {
	const reward = events.findLast((e) => e.type === 'reward' && e.final);
	return reward?.type === 'reward' ? reward.value : null;
}

/** A new index entry for a run whose first event is `start`. */
export function entryOfStart(
	id: string,
	start: Extract<AgentEvent, { type: 'start' }>,
	source: RunSource,
	now: string
): HistoryEntry {
	const { header } = start;
	return {
		id,
		title: titleOfTask(header.task),
		taskText: taskText(header.task).slice(0, 2000),
		preset: header.presetId,
		model: header.provider.model,
		providerKind: header.provider.kind,
		startedAt: header.startedAt,
		updatedAt: now,
		outcome: 'running',
		reward: null,
		turns: 0,
		events: 1,
		source
	};
}

/** The entry after more events of its run were saved (only the new ones are needed). */
export function advanceEntry(
	entry: HistoryEntry,
	added: readonly AgentEvent[],
	now: string
): HistoryEntry {
	const turns = entry.turns + added.filter((e) => e.type === 'call').length;
	const rewarded = added.some((e) => e.type === 'reward' && e.final);
	const reward = rewarded ? finalReward(added) : entry.reward;
	const reason = stopReasonOf(added);
	return {
		...entry,
		updatedAt: now,
		turns,
		events: entry.events + added.length,
		reward,
		outcome: reason === null ? entry.outcome : outcomeOfStop(reason, reward)
	};
}

/** The entry of a complete event list (an imported trace, or a run read back whole). */
export function entryOfEvents(
	id: string,
	events: readonly AgentEvent[],
	source: RunSource,
	now: string
): HistoryEntry {
	const [start, ...rest] = events;
	if (!start || start.type !== 'start') throw new RangeError('A run starts with a start event');
	return advanceEntry(entryOfStart(id, start, source, now), rest, now);
}

/** The outcome shown for an entry: `running` becomes `interrupted` when no live page holds the run. */
export function shownOutcome(entry: HistoryEntry, live: (id: string) => boolean): HistoryOutcome {
	return entry.outcome === 'running' && !live(entry.id) ? 'interrupted' : entry.outcome;
}

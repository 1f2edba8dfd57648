import type { Answer, AnswerResult, Observation, PresetRun, StepResult } from '../presets/types.ts';
import type { ToolCall } from '../providers/types.ts';
import type { ActionKind, AgentEvent, StopReason } from '../trace/events.ts';
import type { Conversation } from './conversation.ts';
import { messageOf } from './loop-support.ts';

/** An event as the loop builds it, before its time stamp is added. */
export type Emit = AgentEvent extends infer E
	? E extends { t: number }
		? Omit<E, 't'>
		: never
	: never;

/** What the steps of one run share with the loop. */
export interface StepContext {
	run: PresetRun;
	signal: AbortSignal;
	/** Stamps an event with the run's clock. */
	ev: (e: Emit) => AgentEvent;
	/** Why the run was aborted: the time budget or the user. */
	stopReason: () => StopReason;
	/** Every model text and observation so far, joined. */
	history: () => string;
}

/** A step's value, or the events that end the run. */
export type Guarded<T> = { value: T } | { stop: AgentEvent[] };

/** Runs an executor or preset step; a rejection is a crashed engine (fatal), unless the run was stopped. */
export async function guarded<T>(ctx: StepContext, work: () => Promise<T>): Promise<Guarded<T>> {
	try {
		return { value: await work() };
	} catch (e) {
		if (ctx.signal.aborted) return { stop: [ctx.ev({ type: 'stop', reason: ctx.stopReason() })] };
		return {
			stop: [
				ctx.ev({ type: 'error', code: 'executor', message: messageOf(e), fatal: true }),
				ctx.ev({ type: 'stop', reason: 'error' })
			]
		};
	}
}

/** The observation event of a turn. */
export const observationEvent = (ctx: StepContext, turn: number, o: Observation) =>
	ctx.ev({ type: 'observation', turn, ...o });

/** Emits an answer, has the preset score it and emits the reward; null when the run ended. */
export async function* answerEvents(
	ctx: StepContext,
	answer: Answer,
	turn: number,
	trailing = ''
): AsyncGenerator<AgentEvent, AnswerResult | null> {
	yield ctx.ev({
		type: 'answer',
		turn,
		kind: answer.kind,
		code: answer.code,
		raw: answer.raw,
		...(trailing ? { trailing } : {}),
		...(answer.forced ? { forced: true } : {}),
		...(answer.toolCallId ? { toolCallId: answer.toolCallId } : {})
	});
	const r = await guarded(ctx, () => ctx.run.answer(answer, turn, ctx.signal, ctx.history()));
	if ('stop' in r) {
		yield* r.stop;
		return null;
	}
	if (r.value.reward)
		yield ctx.ev({
			type: 'reward',
			value: r.value.reward.value,
			components: r.value.reward.components,
			final: !r.value.feedback
		});
	return r.value;
}

/** Emits an action, runs it and emits its observation (and reward); null when the run ended. */
export async function* actionEvents(
	ctx: StepContext,
	turn: number,
	action: { kind: ActionKind; code: string; raw: string; toolCallId?: string }
): AsyncGenerator<AgentEvent, StepResult | null> {
	const { kind, code, raw, toolCallId } = action;
	yield ctx.ev({ type: 'action', turn, kind, code, raw, ...(toolCallId ? { toolCallId } : {}) });
	const r = await guarded(ctx, () => ctx.run.act({ kind, code }, turn, ctx.signal));
	if ('stop' in r) {
		yield* r.stop;
		return null;
	}
	yield observationEvent(ctx, turn, r.value.observation);
	if (r.value.reward)
		yield ctx.ev({ type: 'reward', ...r.value.reward, final: r.value.done ?? false });
	if (ctx.signal.aborted) {
		yield ctx.ev({ type: 'stop', reason: ctx.stopReason() });
		return null;
	}
	return r.value;
}

/**
 * Runs a turn's native tool calls in order: each result goes back as a tool message answering its
 * call; a call that cannot run gets its error instead; `submit` answers and ends the run. Returns
 * null when the run ended, else the text the results add to the history.
 */
export async function* toolCallEvents(
	ctx: StepContext,
	turn: number,
	calls: ToolCall[],
	answerKind: ActionKind,
	conversation: Conversation
): AsyncGenerator<AgentEvent, string | null> {
	let text = '';
	for (const item of ctx.run.toolCalls!(calls)) {
		const { call } = item;
		let observation: Observation;
		if (item.error !== undefined) {
			// Recorded as an action with its raw arguments, so a replay sends the same call again.
			const kind = item.kind === 'submit' ? answerKind : item.kind;
			yield ctx.ev({
				type: 'action',
				turn,
				kind,
				code: '',
				raw: call.arguments,
				toolCallId: call.id
			});
			observation = {
				status: 'invalid',
				text: item.error,
				truncated: false,
				result: { tool: call.name },
				durationMs: 0
			};
			yield observationEvent(ctx, turn, observation);
		} else if (item.kind === 'submit') {
			const answer = {
				kind: answerKind,
				code: item.code,
				raw: call.arguments,
				toolCallId: call.id
			};
			if ((yield* answerEvents(ctx, answer, turn)) !== null)
				yield ctx.ev({ type: 'stop', reason: 'answer' });
			return null;
		} else {
			const step = { kind: item.kind, code: item.code, raw: call.arguments, toolCallId: call.id };
			const r = yield* actionEvents(ctx, turn, step);
			if (r === null) return null;
			observation = r.observation;
		}
		conversation.addToolMessage(call.id, observation.text);
		text += observation.text;
	}
	return text;
}

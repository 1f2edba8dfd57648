import type { PresetRun } from '../presets/types.ts';
import type { GenerateRequest, ToolCall } from '../providers/types.ts';
import type { AgentEvent } from '../trace/events.ts';
import { codeOf, estimateTokens, fixesOf, messageOf } from './loop-support.ts';
import {
	actionEvents,
	answerEvents,
	guarded,
	observationEvent,
	toolCallEvents
} from './run-steps.ts';
import {
	begin,
	budgetEvent,
	setUp,
	startPreset,
	stopBeforeCall,
	tokensLeft,
	type RunAgentOptions,
	type RunState
} from './run-state.ts';
import type { TurnOutcome, TurnParser } from './stream-parser.ts';
import { streamCall } from './stream-call.ts';

export type { RunAgentOptions };

/** What one model call left for the rest of its turn. */
interface ModelTurn {
	text: string;
	outcome: TurnOutcome;
	parser: TurnParser;
	toolCalls: ToolCall[];
}

/** Whether the run goes on to its next turn or has ended (its stop event yielded). */
type Next = 'next' | 'end';

/**
 * Runs an agent: streams the model, cuts the request at the end of an action, executes it, inserts the
 * observation, and continues until an answer, a budget, an error or Stop. The yielded events are the trace.
 */
export async function* runAgent(
	options: RunAgentOptions
): AsyncGenerator<AgentEvent, void, undefined> {
	const setup = setUp(options);
	const { ev } = setup;
	let run: PresetRun;
	try {
		run = await startPreset(setup);
	} catch (e) {
		yield ev({ type: 'start', header: setup.header() });
		yield ev({ type: 'error', code: 'preset', message: messageOf(e), fatal: true });
		yield ev({ type: 'stop', reason: 'error' });
		return;
	}
	const state = begin(setup, run);
	try {
		yield ev({ type: 'start', header: setup.header(run.prompt) });
		for (let turn = 1; ; turn++) {
			if (turn > state.maxTurns) return yield* turnLimitEvents(state, turn);
			const stop = stopBeforeCall(state);
			if (stop) return yield ev({ type: 'stop', reason: stop });
			if ((yield* turnEvents(state, turn)) === 'end') return;
		}
	} finally {
		// Leaving early (the consumer stopped iterating) must end the model request and any execution.
		state.end();
	}
}

/** One turn: the model call, then its tool calls, answer or action. */
async function* turnEvents(s: RunState, turn: number): AsyncGenerator<AgentEvent, Next> {
	const model = yield* modelCallEvents(s, turn);
	if (model === null) return 'end';
	if (model.toolCalls.length && s.run.toolCalls) {
		const kind = 'question' in s.options.task ? 'sql' : 'python';
		const text = yield* toolCallEvents(s.ctx, turn, model.toolCalls, kind, s.conversation);
		if (text === null) return 'end';
		s.conversation.addObservation(text, { asMessage: false });
		yield budgetEvent(s, turn);
		return 'next';
	}
	return yield* outcomeEvents(s, turn, model);
}

/** The request of a turn's model call. */
function turnRequest(s: RunState, turn: number, stops: string[], signal: AbortSignal) {
	const left = tokensLeft(s);
	const { sampling, run, mode } = s;
	const { body, shape } = s.conversation.request(turn);
	const maxTokens = left === null ? sampling.maxTokens : Math.min(sampling.maxTokens ?? left, left);
	const request: GenerateRequest = {
		mode,
		...body,
		...(stops.length ? { stop: stops } : {}),
		...(run.tools ? { tools: run.tools } : {}),
		...(sampling.temperature === undefined ? {} : { temperature: sampling.temperature }),
		...(maxTokens === undefined ? {} : { maxTokens }),
		signal
	};
	return { request, shape };
}

/** Calls the model and streams its turn; null when the run ended (failure, Stop, tokens). */
async function* modelCallEvents(
	s: RunState,
	turn: number
): AsyncGenerator<AgentEvent, ModelTurn | null> {
	const { ev } = s;
	const call = ++s.calls;
	const parser = s.run.parser(turn);
	const stops = s.run.stop(turn);
	const callEnded = new AbortController();
	const signal = AbortSignal.any([s.signal, callEnded.signal]);
	const { request, shape } = turnRequest(s, turn, stops, signal);
	yield ev({ type: 'call', call, turn, stop: stops, ...shape });
	const streamed = yield* streamCall(s.options.provider, request, parser, tokensLeft(s), (text) =>
		ev({ type: 'text', call, text })
	);
	callEnded.abort();
	const { finish, usage, cut, overTokens, failure, toolCalls } = streamed;
	if (failure !== null || (s.signal.aborted && !cut)) {
		yield ev({ type: 'call-end', call, finishReason: 'aborted', cut: false });
		if (s.signal.aborted) yield ev({ type: 'stop', reason: s.stopReason() });
		else yield* failureEvents(s, failure);
		return null;
	}
	const end = parser.finish({ finishReason: finish, stops });
	let text = streamed.turnText;
	if (end.appended) {
		text += end.appended;
		yield ev({ type: 'text', call, text: end.appended });
	}
	const finishReason = cut ? 'cut' : finish;
	yield ev({ type: 'call-end', call, finishReason, cut, ...(usage ? { usage } : {}) });
	s.tokensUsed += usage?.completionTokens ?? estimateTokens(text.length);
	s.conversation.addModelTurn(text, toolCalls);
	if (overTokens) {
		yield ev({ type: 'stop', reason: 'tokens' });
		return null;
	}
	return { text, outcome: end.outcome, parser, toolCalls };
}

/** The events of a failed model call: the error (with the doctor's fixes) and the stop. */
function* failureEvents(s: RunState, failure: unknown): Generator<AgentEvent> {
	const code = codeOf(failure, 'provider');
	yield s.ev({
		type: 'error',
		code,
		message: messageOf(failure),
		fatal: true,
		...fixesOf(failure)
	});
	yield s.ev({ type: 'stop', reason: 'error' });
}

/** What the turn's text said: an action to run, an answer to score, or an unusable turn. */
async function* outcomeEvents(
	s: RunState,
	turn: number,
	model: ModelTurn
): AsyncGenerator<AgentEvent, Next> {
	const { ctx, run, conversation } = s;
	let outcome = model.outcome;
	if (outcome.type === 'action' && turn === s.maxTurns && !run.executeOnLastTurn) return 'next';
	if (outcome.type === 'invalid' || outcome.type === 'none') {
		const unusable = outcome;
		const r = await guarded(ctx, () => run.invalid(unusable, model.text, turn));
		if ('stop' in r) return yield* endWith(r.stop);
		if ('observation' in r.value) {
			yield observationEvent(ctx, turn, r.value.observation);
			conversation.addObservation(r.value.observation.text);
			yield budgetEvent(s, turn);
			return 'next';
		}
		outcome = { ...r.value, type: 'answer' };
	}
	if (outcome.type === 'answer') {
		const res = yield* answerEvents(ctx, outcome, turn, model.parser.rest);
		if (res === null) return 'end';
		if (!res.feedback) return yield* endWith([s.ev({ type: 'stop', reason: 'answer' })]);
		yield observationEvent(ctx, turn, res.feedback);
		conversation.addObservation(res.feedback.text);
		yield budgetEvent(s, turn);
		return 'next';
	}
	if (outcome.type === 'action') {
		const r = yield* actionEvents(ctx, turn, outcome);
		if (r === null) return 'end';
		conversation.addObservation(r.observation.text);
		if (r.done) return yield* endWith([s.ev({ type: 'stop', reason: 'solved' })]);
		yield budgetEvent(s, turn);
	}
	return 'next';
}

/** Yields the events that end the run. */
function* endWith(events: AgentEvent[]): Generator<AgentEvent, Next> {
	yield* events;
	return 'end';
}

/** The turn budget is spent: the preset's forced answer or final reward, then stop max-turns. */
async function* turnLimitEvents(s: RunState, turn: number): AsyncGenerator<AgentEvent, void> {
	const { ctx, run } = s;
	const limit = await guarded(ctx, () => run.atTurnLimit(s.signal, s.conversation.history()));
	if ('stop' in limit) return yield* limit.stop;
	if (limit.value.answer) {
		if ((yield* answerEvents(ctx, limit.value.answer, turn - 1)) === null) return;
	} else if (limit.value.result?.reward) {
		const { reward } = limit.value.result;
		yield s.ev({ type: 'reward', value: reward.value, components: reward.components, final: true });
	}
	yield s.ev({ type: 'stop', reason: 'max-turns' });
}

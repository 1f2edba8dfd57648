import type { Runtime } from '../runtime.ts';
import type { Preset, PresetRun, PromptTemplate } from '../presets/types.ts';
import type { ChatMessage, GenerateRequest, Provider } from '../providers/types.ts';
import type { AgentEvent, AgentTask, Budgets, StopReason, TraceHeader } from '../trace/events.ts';
import {
	buildHeader,
	codeOf,
	estimateTokens,
	fixesOf,
	linkedController,
	messageOf,
	timeBudgetReason,
	type Sampling
} from './loop-support.ts';
import {
	actionEvents,
	answerEvents,
	guarded,
	observationEvent,
	toolCallEvents,
	type Emit,
	type StepContext
} from './run-steps.ts';
import type { TurnOutcome } from './stream-parser.ts';
import { streamCall } from './stream-call.ts';

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

/**
 * Runs an agent: streams the model, cuts the request at the end of an action, executes it, inserts the
 * observation, and continues until an answer, a budget, an error or Stop. The yielded events are the trace.
 */
export async function* runAgent(
	options: RunAgentOptions
): AsyncGenerator<AgentEvent, void, undefined> {
	const { provider, runtime, preset, task } = options;
	const t0 = performance.now();
	const ev = (e: Emit): AgentEvent =>
		({ ...e, t: Math.round((performance.now() - t0) * 1000) / 1000 }) as AgentEvent;
	// Anthropic's API has no raw completion: unless a mode is asked for, such presets run as chat there.
	const mode =
		options.mode ??
		(provider.kind === 'anthropic' && preset.modes.includes('chat') ? 'chat' : preset.defaultMode);
	const budgets: Budgets = { maxTurns: preset.defaultMaxTurns, ...options.budgets };
	const maxTurns = budgets.maxTurns!;
	const template = options.template ?? preset.defaultTemplate;
	const sampling = options.sampling ?? {};
	const deadline = budgets.maxMs === undefined ? Infinity : t0 + budgets.maxMs;
	const runAbort = linkedController(options.signal);
	const signal = runAbort.controller.signal;
	const timer = Number.isFinite(deadline)
		? setTimeout(() => runAbort.controller.abort(timeBudgetReason), deadline - t0)
		: undefined;
	const header = (prompt = { system: '', user: '', completion: '' }): TraceHeader =>
		buildHeader({ ...options, mode, template, sampling, budgets, prompt });
	const stopReason = (): StopReason => (signal.reason === timeBudgetReason ? 'time' : 'user');

	let run: PresetRun;
	try {
		if (!preset.modes.includes(mode))
			throw new RangeError(`Preset "${preset.id}" has no ${mode} mode`);
		run = await preset.start(
			{
				task,
				runtime,
				mode,
				maxTurns,
				execTimeoutMs: budgets.execTimeoutMs,
				session: options.session ?? `agent-${Math.random().toString(36).slice(2)}`
			},
			template
		);
	} catch (e) {
		yield ev({ type: 'start', header: header() });
		yield ev({ type: 'error', code: 'preset', message: messageOf(e), fatal: true });
		yield ev({ type: 'stop', reason: 'error' });
		clearTimeout(timer);
		return;
	}

	const messages: ChatMessage[] = [];
	if (run.prompt.system) messages.push({ role: 'system', content: run.prompt.system });
	messages.push({ role: 'user', content: run.prompt.user });
	let transcript = run.prompt.completion;
	const history: string[] = [];
	let tokensUsed = 0;
	let call = 0;
	const tokensLeft = () =>
		budgets.maxTokens === undefined ? null : budgets.maxTokens - tokensUsed;
	const budgetEvent = (turn: number) =>
		ev({
			type: 'budget',
			turnsLeft: maxTurns - turn,
			tokensLeft: tokensLeft(),
			msLeft: Number.isFinite(deadline)
				? Math.max(0, Math.round(deadline - performance.now()))
				: null
		});

	const ctx: StepContext = { run, signal, ev, stopReason, history: () => history.join('') };

	try {
		yield ev({ type: 'start', header: header(run.prompt) });
		for (let turn = 1; ; turn++) {
			if (turn > maxTurns) {
				const limit = await guarded(ctx, () => run.atTurnLimit(signal, history.join('')));
				if ('stop' in limit) return yield* limit.stop;
				if (limit.value.answer) {
					if ((yield* answerEvents(ctx, limit.value.answer, turn - 1)) === null) return;
				} else if (limit.value.result?.reward) {
					const { reward } = limit.value.result;
					yield ev({
						type: 'reward',
						value: reward.value,
						components: reward.components,
						final: true
					});
				}
				return yield ev({ type: 'stop', reason: 'max-turns' });
			}
			if (signal.aborted) return yield ev({ type: 'stop', reason: stopReason() });
			const left = tokensLeft();
			if (left !== null && left <= 0) return yield ev({ type: 'stop', reason: 'tokens' });

			call++;
			const request = linkedController(signal);
			const parser = run.parser(turn);
			const stops = run.stop(turn);
			const prefix = mode === 'completion' ? (run.prefix?.(turn) ?? '') : '';
			const maxTokens =
				left === null ? sampling.maxTokens : Math.min(sampling.maxTokens ?? left, left);
			const req: GenerateRequest = {
				mode,
				...(mode === 'chat'
					? { messages: run.window?.(messages) ?? [...messages] }
					: { prompt: transcript + prefix }),
				...(stops.length ? { stop: stops } : {}),
				...(run.tools ? { tools: run.tools } : {}),
				...(sampling.temperature === undefined ? {} : { temperature: sampling.temperature }),
				...(maxTokens === undefined ? {} : { maxTokens }),
				signal: request.controller.signal
			};
			yield ev({
				type: 'call',
				call,
				turn,
				stop: stops,
				...(mode === 'completion' ? { prefix } : { messages: req.messages!.length })
			});

			const streamed = yield* streamCall(provider, req, parser, left, (text) =>
				ev({ type: 'text', call, text })
			);
			request.controller.abort();
			request.dispose();
			let { turnText } = streamed;
			const { finish, usage, cut, overTokens, failure, toolCalls } = streamed;
			if (failure !== null || (signal.aborted && !cut)) {
				yield ev({ type: 'call-end', call, finishReason: 'aborted', cut: false });
				if (signal.aborted) return yield ev({ type: 'stop', reason: stopReason() });
				yield ev({
					type: 'error',
					code: codeOf(failure, 'provider'),
					message: messageOf(failure),
					fatal: true,
					...fixesOf(failure)
				});
				return yield ev({ type: 'stop', reason: 'error' });
			}
			const end = parser.finish({ finishReason: finish, stops });
			if (end.appended) {
				turnText += end.appended;
				yield ev({ type: 'text', call, text: end.appended });
			}
			yield ev({
				type: 'call-end',
				call,
				finishReason: cut ? 'cut' : finish,
				cut,
				...(usage ? { usage } : {})
			});
			tokensUsed += usage?.completionTokens ?? estimateTokens(turnText.length);
			history.push(turnText);
			if (mode === 'chat')
				messages.push({
					role: 'assistant',
					content: turnText,
					...(toolCalls.length ? { toolCalls } : {})
				});
			if (overTokens) return yield ev({ type: 'stop', reason: 'tokens' });

			const append = (obs: string) => {
				history.push(obs);
				if (mode === 'completion')
					transcript += run.renderTurn
						? run.renderTurn(turnText, turn, obs)
						: prefix + turnText + obs;
			};
			const addObservation = (text: string) => {
				if (mode === 'chat') messages.push({ role: 'user', content: text });
				append(text);
			};
			if (toolCalls.length && run.toolCalls) {
				const toolText = yield* toolCallEvents(ctx, turn, toolCalls, inferKind(task), messages);
				if (toolText === null) return;
				append(toolText);
				yield budgetEvent(turn);
				continue;
			}

			let outcome: TurnOutcome = end.outcome;
			if (outcome.type === 'action' && turn === maxTurns && !run.executeOnLastTurn) continue;
			if (outcome.type === 'invalid' || outcome.type === 'none') {
				const r = await guarded(ctx, () => run.invalid(outcome as TurnOutcome, turnText, turn));
				if ('stop' in r) return yield* r.stop;
				if ('observation' in r.value) {
					yield observationEvent(ctx, turn, r.value.observation);
					addObservation(r.value.observation.text);
					yield budgetEvent(turn);
					continue;
				}
				outcome = { ...r.value, type: 'answer' };
			}
			if (outcome.type === 'answer') {
				const res = yield* answerEvents(ctx, outcome, turn, parser.rest);
				if (res === null) return;
				if (!res.feedback) return yield ev({ type: 'stop', reason: 'answer' });
				yield observationEvent(ctx, turn, res.feedback);
				addObservation(res.feedback.text);
				yield budgetEvent(turn);
				continue;
			}
			if (outcome.type === 'action') {
				const r = yield* actionEvents(ctx, turn, outcome);
				if (r === null) return;
				addObservation(r.observation.text);
				if (r.done) return yield ev({ type: 'stop', reason: 'solved' });
				yield budgetEvent(turn);
			}
		}
	} finally {
		// Leaving early (the consumer stopped iterating) must end the model request and any execution.
		runAbort.controller.abort();
		clearTimeout(timer);
		runAbort.dispose();
	}
}

function inferKind(task: AgentTask): 'sql' | 'python' {
	return 'question' in task ? 'sql' : 'python';
}

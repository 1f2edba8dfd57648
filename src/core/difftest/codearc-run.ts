import type { ChatMessage } from '../providers/types.ts';
import { StopParser, type TurnOutcome } from '../agent/stream-parser.ts';
import {
	checkImplementation,
	codearcMaxTries,
	replyAction,
	replyCode,
	runInvocations
} from './codearc.ts';
import type { CodearcEpisode } from './codearc-episode.ts';
import type { CodearcSpec } from './task.ts';
import type { ActionKind, RenderedPrompt } from '../trace/events.ts';
import type {
	Answer,
	AnswerResult,
	Observation,
	PresetContext,
	PresetRun,
	Reward,
	StepResult
} from '../presets/types.ts';

// One CodeARC episode driven by the loop: a reply is read whole (invocators.py tests the keywords on the
// full text), invocations run with the hidden function, an implementation goes to the oracle.

/** Text shown for an unusable sample; it is not sent back (CodeARC samples the same prompt again). */
const unusableText = (reason: string, tries: number) =>
	`(No usable action: ${reason}. CodeARC samples the same prompt again (try ${tries + 1} of ${codearcMaxTries}); this note is not sent to the model.)`;

/** The reward of a verdict: 1 when the oracle found no difference (CodeARC's success). */
function verdictReward(ep: CodearcEpisode, parts: Record<string, unknown>): Reward {
	const success = parts.isCorrect === true;
	return {
		value: success ? 1 : 0,
		components: {
			success,
			...parts,
			oracleCalls: ep.oracleCalls,
			invocationsUsed: ep.invocations.length
		}
	};
}

/** Reads a whole reply: the final implementation, or IMPLEMENTATION / INVOCATIONS / nothing usable. */
function readReply(ep: CodearcEpisode, text: string): TurnOutcome {
	if (ep.final) return { type: 'answer', kind: 'python', code: replyCode(text), raw: text };
	const action = replyAction(text, ep.invocationsLeft);
	if (action?.type === 'implementation')
		return { type: 'answer', kind: 'python', code: action.program, raw: text };
	if (action?.type === 'invocations') {
		if (action.invocations.length > ep.invocationsLeft)
			return {
				type: 'invalid',
				reason: `${action.invocations.length} invocations asked, ${ep.invocationsLeft} left`,
				raw: text
			};
		return { type: 'action', kind: 'python', code: action.invocations.join('\n'), raw: text };
	}
	return {
		type: 'invalid',
		reason: 'neither IMPLEMENTATION nor INVOCATIONS (with invocations left)',
		raw: text
	};
}

/** What a CodeARC run keeps: the task's spec, the hidden source and the episode's state. */
interface CodearcState {
	spec: CodearcSpec;
	hidden: string;
	ep: CodearcEpisode;
}

/** A CodeARC episode as a preset run. */
export class CodearcRun implements PresetRun {
	readonly prompt: RenderedPrompt;
	readonly executeOnLastTurn = true;
	readonly #ctx: PresetContext;
	readonly #s: CodearcState;
	// Turns whose sample was unusable: their reply and note are left out of the next request.
	readonly #dropped = new Set<number>();

	constructor(ctx: PresetContext, prompt: RenderedPrompt, state: CodearcState) {
		this.#ctx = ctx;
		this.prompt = prompt;
		this.#s = state;
	}

	stop(): string[] {
		return [];
	}

	parser() {
		return new StopParser([], (text) => readReply(this.#s.ep, text));
	}

	/** The messages sent: CodeARC samples an unusable turn again from the same messages. */
	window(messages: ChatMessage[]): ChatMessage[] {
		const base = this.prompt.system ? 1 : 0;
		return messages.filter((_, i) => i <= base || !this.#dropped.has(Math.ceil((i - base) / 2)));
	}

	async act(
		action: { kind: ActionKind; code: string },
		_turn: number,
		signal: AbortSignal
	): Promise<StepResult> {
		const { ep, hidden } = this.#s;
		// An INVOCATIONS block without print lines is a batch of none, as in CodeARC.
		const invocations = action.code ? action.code.split('\n') : [];
		const t0 = performance.now();
		const outputs = await runInvocations(this.#ctx.runtime, hidden, invocations, { signal });
		const text = ep.afterInvocations(
			invocations,
			outputs.map((o) => o.output)
		);
		return {
			observation: {
				status: outputs.some((o) => o.errored) ? 'error' : 'ok',
				text,
				truncated: false,
				result: { invocations, outputs, invocationsLeft: ep.invocationsLeft },
				durationMs: performance.now() - t0
			}
		};
	}

	async invalid(outcome: TurnOutcome, text: string, turn: number): Promise<StepResult | Answer> {
		const { ep } = this.#s;
		if (ep.unusable()) return { kind: 'python', code: '', raw: text, forced: true };
		this.#dropped.add(turn);
		const reason = outcome.type === 'invalid' ? outcome.reason : 'an empty reply';
		return {
			observation: {
				status: 'invalid',
				text: unusableText(reason, ep.tries),
				truncated: false,
				result: { unusable: reason, tries: ep.tries },
				durationMs: 0
			}
		};
	}

	async answer(answer: Answer, _turn: number, signal: AbortSignal): Promise<AnswerResult> {
		const { ep } = this.#s;
		if (ep.invalidEnd)
			return { reward: verdictReward(ep, { isCorrect: false, action: 'INVALID_ACTION' }) };
		const wasFinal = ep.final;
		const v = await this.#check(answer.code, signal);
		const reward = verdictReward(ep, {
			isCorrect: v.isCorrect,
			failedInputs: v.failedInputs,
			checked: v.checked
		});
		if (wasFinal || v.isCorrect || ep.debugsLeft === 0) return { reward };
		const feedback: Observation = {
			status: 'error',
			text: ep.afterFailedCheck(v.failedInputs ?? ''),
			truncated: false,
			result: reward.components,
			durationMs: v.durationMs
		};
		return { reward, feedback };
	}

	async atTurnLimit() {
		return {
			result: { reward: verdictReward(this.#s.ep, { isCorrect: false, action: 'max-turns' }) }
		};
	}

	/** One oracle call on every input seen so far and the task's own. */
	#check(program: string, signal: AbortSignal) {
		const { ep, hidden, spec } = this.#s;
		const timeout = this.#ctx.execTimeoutMs;
		ep.oracleCalls += 1;
		return checkImplementation(
			this.#ctx.runtime,
			{
				hidden,
				functionName: spec.functionName,
				program,
				inputs: [...ep.invocations, ...(spec.oracleInputs ?? [])]
			},
			{ signal, ...(timeout ? { timeoutMs: timeout } : {}) }
		);
	}
}

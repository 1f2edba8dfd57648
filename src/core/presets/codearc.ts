import { StopParser, type TurnOutcome } from '../agent/stream-parser.ts';
import {
	checkImplementation,
	codearcMaxTries,
	replyAction,
	replyCode,
	runInvocations
} from '../difftest/codearc.ts';
import { CodearcEpisode } from '../difftest/codearc-episode.ts';
import { hiddenSourceOf, playSpec } from '../difftest/hidden-store.ts';
import type { CodearcSpec } from '../difftest/task.ts';
import type { AgentTask, PythonTask } from '../trace/events.ts';
import { renderPrompt } from './template.ts';
import type { Answer, AnswerResult, Observation, Preset, PresetRun, Reward } from './types.ts';

// CodeARC (Wei et al., 2025; Anjiang-Wei/CodeARC@092edee): a hidden function known by its name and 10
// invocations; each reply either asks for more (`INVOCATIONS:` + a ```python block of print lines) or
// submits (`IMPLEMENTATION:`). One debugging check during the loop, one final check. The prompts are
// prompts.yaml's, verbatim. CodeARC's chat is user/assistant only, so the preset has no completion mode.

const codearcCommit = '092edeeff38d019a130c8fbfdb055d39cba75bc8';
const codearcFile = (path: string) => ({
	label: `CodeARC/${path}`,
	url: `https://github.com/Anjiang-Wei/CodeARC/blob/${codearcCommit}/${path}`
});

/** The CodeARC spec of a task, or a readable error. */
export function codearcSpecOf(task: AgentTask): CodearcSpec {
	const spec = (task as PythonTask).codearc;
	if (!spec)
		throw new RangeError(
			'The codearc preset needs a CodeARC task (a Python task with a `codearc` field)'
		);
	return spec;
}

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

/** CodeARC: explore a hidden function with invocations, submit an implementation to the oracle. */
export const codearcPreset: Preset = {
	id: 'codearc',
	label: 'CodeARC (hidden function, invocations, oracle)',
	description:
		'Work out a hidden Python function from invocations (30 in all) and submit IMPLEMENTATION: one check with a counterexample, then a final one.',
	kinds: ['python'],
	source: {
		label: 'CodeARC (Wei et al., 2025)',
		links: [
			{ label: 'arXiv 2503.23145', url: 'https://arxiv.org/abs/2503.23145' },
			codearcFile('prompts.yaml'),
			codearcFile('src/invocators.py'),
			codearcFile('src/utils.py')
		]
	},
	defaultTemplate: { system: '', user: CodearcEpisode.baseTemplate() },
	defaultMaxTurns: 50,
	defaultMode: 'chat',
	modes: ['chat'],
	publicTask(task) {
		const spec = (task as PythonTask).codearc;
		return spec ? { ...task, codearc: playSpec(spec) } : task;
	},
	async start(ctx, tpl): Promise<PresetRun> {
		const spec = codearcSpecOf(ctx.task);
		const hidden = hiddenSourceOf(spec);
		const ep = new CodearcEpisode(spec.functionName, spec.invocations);
		const given = await runInvocations(ctx.runtime, hidden, spec.invocations);
		const prompt = renderPrompt(tpl, {
			function_name: spec.functionName,
			input_invocations: spec.invocations.join('\n'),
			output_invocations: given.map((o) => o.output).join('\n'),
			max_invocations: ep.invocationsLeft,
			max_checks: ep.debugsLeft
		});
		// Turns whose sample was unusable: their reply and note are left out of the next request.
		const dropped = new Set<number>();
		const base = prompt.system ? 1 : 0;
		const check = async (program: string, signal: AbortSignal) => {
			ep.oracleCalls += 1;
			return checkImplementation(
				ctx.runtime,
				{
					hidden,
					functionName: spec.functionName,
					program,
					inputs: [...ep.invocations, ...(spec.oracleInputs ?? [])]
				},
				{ signal, ...(ctx.execTimeoutMs ? { timeoutMs: ctx.execTimeoutMs } : {}) }
			);
		};
		const feedback = (
			text: string,
			result: Record<string, unknown>,
			durationMs: number
		): Observation => ({
			status: 'error',
			text,
			truncated: false,
			result,
			durationMs
		});
		return {
			prompt,
			executeOnLastTurn: true,
			stop: () => [],
			parser: () => new StopParser([], (text) => readReply(ep, text)),
			window: (messages) =>
				messages.filter((_, i) => {
					const turn = Math.ceil((i - base) / 2);
					return i <= base || !dropped.has(turn);
				}),
			async act(action, _turn, signal) {
				// An INVOCATIONS block without print lines is a batch of none, as in CodeARC.
				const invocations = action.code ? action.code.split('\n') : [];
				const t0 = performance.now();
				const outputs = await runInvocations(ctx.runtime, hidden, invocations, { signal });
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
			},
			async invalid(outcome, text, turn): Promise<{ observation: Observation } | Answer> {
				if (ep.unusable()) return { kind: 'python', code: '', raw: text, forced: true };
				dropped.add(turn);
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
			},
			async answer(answer, _turn, signal): Promise<AnswerResult> {
				if (ep.invalidEnd)
					return { reward: verdictReward(ep, { isCorrect: false, action: 'INVALID_ACTION' }) };
				const wasFinal = ep.final;
				const v = await check(answer.code, signal);
				const parts = { isCorrect: v.isCorrect, failedInputs: v.failedInputs, checked: v.checked };
				const reward = verdictReward(ep, parts);
				if (wasFinal || v.isCorrect || ep.debugsLeft === 0) return { reward };
				const text = ep.afterFailedCheck(v.failedInputs ?? '');
				return { reward, feedback: feedback(text, reward.components, v.durationMs) };
			},
			async atTurnLimit() {
				return { result: { reward: verdictReward(ep, { isCorrect: false, action: 'max-turns' }) } };
			}
		};
	}
};

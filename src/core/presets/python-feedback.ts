import { TagParser } from '../agent/stream-parser.ts';
import type { PythonTask } from '../trace/events.ts';
import { pythonTestsReward } from '../rewards/python-tests.ts';
import { pythonOutputText, pythonStatus, pythonSummary } from './observations.ts';
import { cleanPythonCode } from './python-code.ts';
import { leti } from './sources.ts';
import { renderPrompt, truncateText } from './template.ts';
import type { Observation, Preset, PresetRun } from './types.ts';

// LeTI-style Python with execution feedback (xingyaoww/LeTI): the problem is shown as LeTI shows
// MBPP (leti/scripts/data/process_mbpp.py: a docstring with the description and the first test),
// feedback is stdout plus the traceback with user-relative lines (leti/utils/execute/__init__.py),
// and a failing answer gets the prefix of LeTI's reward-model variant (leti/utils/reward/utils.py).

/** LeTI's execution timeout for a test run (`execution_timeout`). */
const testTimeoutMs = 5_000;
/** Characters of output shown to the model per observation. */
const maxObservationChars = 4000;

/** The prefix LeTI's reward-model variant puts before failure feedback. */
export const letiFailurePrefix = 'The code is not working correctly. Here is some feedback: ';

/** Wraps feedback text the way this preset shows it to the model. */
export function outputBlock(text: string): string {
	return `\n<output>\n${text.replace(/\n$/, '') || '(no output)'}\n</output>\n`;
}

const template = {
	system: 'You are an expert Python programmer.',
	user: `Solve the task below. You can run Python code by writing it inside <python>...</python>; its output (stdout and any traceback) comes back inside <output>...</output>. Variables persist between runs. When you are done, give your complete solution (definitions only, no tests) inside <answer>...</answer>; the task's tests will be run on it. You have {max_turns} turns.

"""
{description}
{first_test}
"""`
};

/** LeTI-style: `<python>` runs with feedback, `<answer>` is checked by the task's tests. */
export const pythonFeedbackPreset: Preset = {
	id: 'python-feedback',
	label: 'Python with execution feedback (LeTI-style)',
	description: 'Run <python> cells, read stdout and tracebacks, give the final code in <answer>.',
	kinds: ['python'],
	source: {
		label: 'LeTI (Wang et al., 2023)',
		links: [
			leti.paper,
			leti.file('leti/scripts/data/process_mbpp.py'),
			leti.file('leti/utils/execute/__init__.py')
		]
	},
	defaultTemplate: template,
	defaultMaxTurns: 6,
	defaultMode: 'chat',
	modes: ['chat', 'completion'],
	async start(ctx, tpl): Promise<PresetRun> {
		const task = ctx.task as PythonTask;
		const prompt = renderPrompt(tpl, {
			description: task.description,
			first_test: task.tests[0] ?? '',
			tests: task.tests.join('\n'),
			max_turns: ctx.maxTurns
		});
		const invalid = (): Observation => ({
			status: 'invalid',
			text: outputBlock(
				'No complete <python>...</python> or <answer>...</answer> block was found. Write code to run inside <python>...</python>, or your final solution inside <answer>...</answer>.'
			),
			truncated: false,
			result: {},
			durationMs: 0
		});
		return {
			prompt,
			executeOnLastTurn: true,
			stop: () => ['</python>', '</answer>'],
			parser: () =>
				new TagParser(
					[
						{ open: '<python>', close: '</python>', role: 'action', kind: 'python' },
						{ open: '<answer>', close: '</answer>', role: 'answer', kind: 'python' }
					],
					cleanPythonCode
				),
			async act(action, _turn, signal) {
				const result = await ctx.runtime.python.run(action.code, {
					session: ctx.session,
					timeoutMs: ctx.execTimeoutMs,
					signal
				});
				const shown = truncateText(pythonOutputText(result), maxObservationChars);
				return {
					observation: {
						status: pythonStatus(result),
						text: outputBlock(shown.text),
						truncated: shown.truncated || result.truncated.stdout || result.truncated.stderr,
						result: pythonSummary(result),
						durationMs: result.durationMs
					}
				};
			},
			async invalid() {
				return { observation: invalid() };
			},
			async answer(answer, turn, signal) {
				const outcome = await pythonTestsReward(ctx.runtime, task, answer.code, {
					timeoutMs: ctx.execTimeoutMs ?? testTimeoutMs,
					signal
				});
				if (outcome.reward.value === 1 || turn >= ctx.maxTurns) return { reward: outcome.reward };
				const shown = truncateText(outcome.feedback, maxObservationChars);
				return {
					reward: outcome.reward,
					feedback: {
						status: 'error',
						text: outputBlock(letiFailurePrefix + shown.text),
						truncated: shown.truncated,
						result: outcome.reward.components,
						durationMs: outcome.durationMs
					}
				};
			},
			async atTurnLimit() {
				return { result: { reward: { value: 0, components: { answered: false } } } };
			}
		};
	}
};

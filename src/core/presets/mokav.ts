import { StopParser } from '../agent/stream-parser.ts';
import { execDiff } from '../difftest/exec-diff.ts';
import {
	exampleSection,
	identicalOutputText,
	mokavCheck,
	mokavSystem,
	mokavUserTemplate,
	type ExecFeedback
} from '../difftest/mokav.ts';
import type { MokavSpec } from '../difftest/task.ts';
import type { AgentTask, PythonTask } from '../trace/events.ts';
import { renderPrompt } from './template.ts';
import type { Preset, PresetRun, StepResult } from './types.ts';

// Mokav (Etemadi et al., 2024): two versions P ('original') and Q ('patched') of a function and an example
// input they treat alike; each reply is read as `{'inputdata': …}`, both versions run on it, and the episode
// ends when their outputs differ (a difference-exposing test). Otherwise the reply gets Mokav's "identical
// output" feedback, with the execution feedback (`E`) from the line tracer. One sample per turn.

const mokavCommit = '023d4c7639e5f4155aa043025d1e925f755155c3';
const codearcCommit = '092edeeff38d019a130c8fbfdb055d39cba75bc8';

/** The Mokav spec of a task, or a readable error. */
export function mokavSpecOf(task: AgentTask): MokavSpec {
	const spec = (task as PythonTask).mokav;
	if (!spec)
		throw new RangeError(
			'The mokav preset needs a Mokav task (a Python task with a `mokav` field)'
		);
	return spec;
}

/** Mokav: find an input on which two versions of a function differ. */
export const mokavPreset: Preset = {
	id: 'mokav',
	label: 'Mokav (difference-exposing test)',
	description:
		"Find a test input {'inputdata': …} on which two versions of a function give different outputs.",
	kinds: ['python'],
	source: {
		label: 'Mokav (Etemadi et al., 2024), as CodeARC embeds it',
		links: [
			{ label: 'arXiv 2406.10375', url: 'https://arxiv.org/abs/2406.10375' },
			{
				label: 'Mokav/src/code_runner.py',
				url: `https://github.com/ASSERT-KTH/Mokav/blob/${mokavCommit}/src/code_runner.py`
			},
			{
				label: 'CodeARC/differential_testing/src_mokav/test_generator.py',
				url: `https://github.com/Anjiang-Wei/CodeARC/blob/${codearcCommit}/differential_testing/src_mokav/test_generator.py`
			}
		]
	},
	defaultTemplate: { system: mokavSystem, user: mokavUserTemplate },
	defaultMaxTurns: 10,
	defaultMode: 'chat',
	modes: ['chat', 'completion'],
	async start(ctx, tpl): Promise<PresetRun> {
		const spec = mokavSpecOf(ctx.task);
		const programs = { original: spec.original, patched: spec.patched };
		const useExec = spec.executionFeedback ?? true;
		const traceOptions = { session: `${ctx.session}-mokav-trace`, timeoutMs: ctx.execTimeoutMs };
		const example = await mokavCheck(ctx.runtime, programs, { inputText: spec.example });
		if (!example.parsed)
			throw new RangeError(
				`The example input of this Mokav task cannot be run: ${example.problem}`
			);
		const feedbackOn = async (input: string, star: boolean, signal?: AbortSignal) =>
			useExec ? execDiff(ctx.runtime, programs, input, star, { ...traceOptions, signal }) : null;
		const exampleExec: ExecFeedback | null = await feedbackOn(example.input, example.star);
		const prompt = renderPrompt(tpl, {
			original: spec.original,
			patched: spec.patched,
			example_section: exampleSection(example.test, example.patched.output, exampleExec)
		});
		// A reply without a readable test: no output and no variables to tell of (Mokav's empty data_list).
		const noExec: ExecFeedback | null = useExec ? { patched: null, original: null } : null;
		let tries = 0;
		return {
			prompt,
			executeOnLastTurn: true,
			stop: () => [],
			parser: () =>
				new StopParser([], (text) => ({
					type: 'action',
					kind: 'python',
					code: text.trim(),
					raw: text
				})),
			async act(action, _turn, signal): Promise<StepResult> {
				tries += 1;
				const t0 = performance.now();
				const run = await mokavCheck(ctx.runtime, programs, { response: action.code }, { signal });
				const durationMs = performance.now() - t0;
				if (!run.parsed)
					return {
						observation: {
							status: 'invalid',
							text: identicalOutputText(null, noExec),
							truncated: false,
							result: { parsed: false, problem: run.problem },
							durationMs
						}
					};
				const summary = {
					test: run.test,
					input: run.input,
					originalOutput: run.original.output,
					patchedOutput: run.patched.output,
					differ: run.differ
				};
				if (run.differ)
					return {
						observation: {
							status: 'ok',
							text: `Difference-exposing test found: ${run.test}\noriginal: ${run.original.output}\npatched: ${run.patched.output}`,
							truncated: false,
							result: summary,
							durationMs
						},
						reward: { value: 1, components: { found: true, tries, ...summary } },
						done: true
					};
				const exec = await feedbackOn(run.input, run.star, signal);
				return {
					observation: {
						status: 'ok',
						text: identicalOutputText(run.patched.output, exec),
						truncated: false,
						result: { ...summary, ...(exec ? { execFeedback: exec } : {}) },
						durationMs: performance.now() - t0
					}
				};
			},
			async invalid() {
				// Every reply is an action; an empty one is read as a test that cannot be parsed.
				return {
					observation: {
						status: 'invalid',
						text: identicalOutputText(null, noExec),
						truncated: false,
						result: { parsed: false, problem: 'empty reply' },
						durationMs: 0
					}
				};
			},
			async answer() {
				return { reward: null };
			},
			async atTurnLimit() {
				return { result: { reward: { value: 0, components: { found: false, tries } } } };
			}
		};
	}
};

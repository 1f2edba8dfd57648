import { exampleSection, mokavCheck, mokavSystem, mokavUserTemplate } from '../difftest/mokav.ts';
import { MokavRun } from '../difftest/mokav-run.ts';
import type { MokavSpec } from '../difftest/task.ts';
import type { AgentTask, PythonTask } from '../trace/events.ts';
import { renderPrompt } from './template.ts';
import type { Preset, PresetRun } from './types.ts';

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
		const run = new MokavRun(ctx, spec);
		const example = await mokavCheck(ctx.runtime, run.programs, { inputText: spec.example });
		if (!example.parsed)
			throw new RangeError(
				`The example input of this Mokav task cannot be run: ${example.problem}`
			);
		const exec = await run.feedbackOn(example.input, example.star);
		run.prompt = renderPrompt(tpl, {
			original: spec.original,
			patched: spec.patched,
			example_section: exampleSection(example.test, example.patched.output, exec)
		});
		return run;
	}
};

import { runInvocations } from '../difftest/codearc.ts';
import { CodearcEpisode } from '../difftest/codearc-episode.ts';
import { hiddenSourceOf, playSpec } from '../difftest/hidden-store.ts';
import type { CodearcSpec } from '../difftest/task.ts';
import type { AgentTask, PythonTask } from '../trace/events.ts';
import { renderPrompt } from './template.ts';
import { CodearcRun } from '../difftest/codearc-run.ts';
import type { Preset, PresetRun } from './types.ts';

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
		return new CodearcRun(ctx, prompt, { spec, hidden, ep });
	}
};

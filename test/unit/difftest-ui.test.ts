import { render } from 'svelte/server';
import { describe, expect, test } from 'vitest';
import DifftestTaskForm from '../../src/components/agent/DifftestTaskForm.svelte';
import { codearcTasks, mokavTasks } from '../../src/data/difftest/index.ts';
import { playSpec } from '../../src/core/difftest/hidden-store.ts';
import { AgentTaskDraft } from '../../src/state/agent-task.svelte.ts';
import type { AgentSession } from '../../src/state/agent-session.svelte.ts';
import type { AgentTask, PythonTask } from '../../src/core/trace/events.ts';

// The task form of the differential-testing presets, rendered on the server: in play mode the page
// shows the hidden function's name and given invocations, never its source; the author sees it.

const altSum = codearcTasks[0];
const hiddenLine = altSum.task.codearc!.hidden!.split('\n')[3].trim();

function formWith(presetId: string, task: AgentTask) {
	const draft = new AgentTaskDraft();
	draft.fill(task);
	const session = { draft, settings: { presetId } } as unknown as AgentSession;
	return { draft, html: render(DifftestTaskForm, { props: { session } }).body };
}

describe('DifftestTaskForm', () => {
	test('play mode: name and invocations shown, the hidden source is not in the page', () => {
		const task = { ...altSum.task, codearc: playSpec(altSum.task.codearc!) };
		const { html, draft } = formWith('codearc', task);
		expect(html).toContain('alternating_sum');
		expect(html).toContain('str(alternating_sum([1, 2, 3]))');
		expect(html).not.toContain('difftest-hidden');
		expect(html).not.toContain(hiddenLine);
		expect(JSON.stringify(draft.toTask())).not.toContain(hiddenLine);
	});

	test('author mode: the hidden source is shown to edit', () => {
		const task = { ...altSum.task, codearc: { ...altSum.task.codearc!, mode: 'author' as const } };
		const { html, draft } = formWith('codearc', task);
		expect(html).toContain(hiddenLine);
		expect((draft.toTask() as PythonTask).codearc?.hidden).toBe(altSum.task.codearc!.hidden);
	});

	test('Mokav: both versions and the example are editable', () => {
		const { html, draft } = formWith('mokav', mokavTasks[0].task);
		expect(html).toContain('best = xs[0]');
		expect(html).toContain('[1, 5, 3]');
		expect((draft.toTask() as PythonTask).mokav?.example).toBe('[1, 5, 3]');
	});
});

import { TagParser, type TagSpec } from '../agent/stream-parser.ts';
import type { ActionKind } from '../trace/events.ts';
import { isSqlTask, runCode, scoreAnswer } from './code-observation.ts';
import { cleanPythonCode } from './python-code.ts';
import { interCode } from './sources.ts';
import { renderPrompt } from './template.ts';
import type { Preset, PresetRun } from './types.ts';

// Markdown code blocks for models that write markdown: a ```python or ```sql block runs as soon as it
// closes (the request is cut there); a reply without a block ends the run. The answer is the code that
// ran: for Python every block that ran without error (the session's definitions), for SQL the last query.

const fence = (lang: string, kind: ActionKind): TagSpec => ({
	open: `\`\`\`${lang}\n`,
	close: '\n```',
	role: 'action',
	kind
});
const specs: TagSpec[] = [
	fence('python', 'python'),
	fence('py', 'python'),
	fence('sql', 'sql'),
	fence('SQL', 'sql'),
	fence('sqlite', 'sql')
];

const template = {
	system:
		'You solve tasks by running code. Put code to run in a fenced block: ```python for Python, ```sql for SQL (SQLite, read-only). Each block runs as soon as you close it and its output comes back to you. Run one block per reply. When you are finished, reply without any code block: your answer is the code that ran (for Python, the definitions that ran without error; for SQL, your last query).',
	user: '{task_text}'
};

/** Markdown-fenced ```python / ```sql blocks. */
export const fencedPreset: Preset = {
	id: 'fenced',
	label: 'Fenced code blocks',
	description:
		'Runs ```python and ```sql blocks from markdown replies; a reply without a block ends the run.',
	kinds: ['python', 'sql'],
	source: {
		label: 'issue 4 (fenced blocks, extracted as InterCode does)',
		links: [interCode.file('experiments/utils/utils.py')]
	},
	defaultTemplate: template,
	defaultMaxTurns: 8,
	defaultMode: 'chat',
	modes: ['chat', 'completion'],
	async start(ctx, tpl): Promise<PresetRun> {
		const task = ctx.task;
		const taskText = isSqlTask(task)
			? `Database: ${task.db}\n${task.evidence ? `Hint: ${task.evidence}\n` : ''}Question: ${task.question}`
			: `${task.description}\n\nYour code should pass these tests:\n${task.tests.join('\n')}`;
		const prompt = renderPrompt(tpl, { task_text: taskText, max_turns: ctx.maxTurns });
		const ran: string[] = [];
		let lastSql = '';
		return {
			prompt,
			executeOnLastTurn: true,
			stop: () => [],
			parser: () =>
				new TagParser(specs, (code, spec) =>
					spec.kind === 'python' ? cleanPythonCode(code) : code.trim()
				),
			async act(action, _turn, signal) {
				const out = await runCode(ctx.runtime, task, action.kind, action.code, {
					session: ctx.session,
					timeoutMs: ctx.execTimeoutMs,
					signal
				});
				if (out.status === 'ok') {
					if (action.kind === 'python') ran.push(action.code);
					else lastSql = action.code;
				}
				const { plain, ...rest } = out;
				return { observation: { ...rest, text: `Output:\n\`\`\`\n${plain}\n\`\`\`` } };
			},
			async invalid(outcome) {
				if (outcome.type === 'none') {
					const code = isSqlTask(task) ? lastSql : ran.join('\n\n');
					return { kind: isSqlTask(task) ? 'sql' : 'python', code, raw: '' };
				}
				return {
					observation: {
						status: 'invalid',
						text: 'Your code block was not closed with ```. Close it so it can run.',
						truncated: false,
						result: {},
						durationMs: 0
					}
				};
			},
			answer: (answer, _turn, signal) => scoreAnswer(ctx.runtime, task, answer, signal),
			async atTurnLimit() {
				return {};
			}
		};
	}
};

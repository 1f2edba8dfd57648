import { StopParser } from '../agent/stream-parser.ts';
import type { ToolCall, ToolSpec } from '../providers/types.ts';
import { isSqlTask, runCode, scoreAnswer } from './code-observation.ts';
import { renderPrompt } from './template.ts';
import type { Preset, PresetRun } from './types.ts';

/** The native tools: `run_python`, `run_sql`, `submit` (JSON Schema arguments). */
export const toolSpecs: Record<'run_python' | 'run_sql' | 'submit', ToolSpec> = {
	run_python: {
		name: 'run_python',
		description:
			'Run Python code in a persistent session; returns stdout, the value of a trailing expression and any traceback.',
		parameters: {
			type: 'object',
			properties: { code: { type: 'string', description: 'Python code to run' } },
			required: ['code']
		}
	},
	run_sql: {
		name: 'run_sql',
		description:
			'Run an SQLite query on the task database (read-only); returns the result table or the error.',
		parameters: {
			type: 'object',
			properties: { query: { type: 'string', description: 'SQL to run' } },
			required: ['query']
		}
	},
	submit: {
		name: 'submit',
		description: 'Submit the final answer: the complete Python solution, or the final SQL query.',
		parameters: {
			type: 'object',
			properties: { answer: { type: 'string', description: 'Final code' } },
			required: ['answer']
		}
	}
};

const template = {
	system:
		'You solve tasks by calling tools. Use {run_tool} to try things and look at the results; when you are sure, call submit with your final {answer_kind}.',
	user: '{task_text}'
};

/** The tool result for a call of a tool that was not offered. */
export function unknownToolText(name: string, offered: string[]): string {
	return `Error: there is no tool "${name}" here; the tools are ${offered.join(', ')}.`;
}

/** The tool result for a call whose arguments are not a JSON object with the needed string. */
export function badArgumentsText(call: ToolCall, name: string): string {
	return `Error: ${call.name} needs JSON arguments with a string "${name}"; it got: ${call.arguments}`;
}

/** Reads one argument of a tool call's JSON; malformed JSON gives null. */
function argument(json: string, name: string): string | null {
	try {
		const value = (JSON.parse(json || '{}') as Record<string, unknown>)[name];
		return typeof value === 'string' ? value : null;
	} catch {
		return null;
	}
}

/** Native tool calls (OpenAI `tools`, Anthropic `tool_use`); observations go back as tool messages. */
export const toolsPreset: Preset = {
	id: 'tools',
	label: 'Native tool calls',
	description: 'run_python / run_sql / submit through the provider’s tool calling.',
	kinds: ['python', 'sql'],
	source: { label: 'issue 4 (native tool calls)', links: [] },
	defaultTemplate: template,
	defaultMaxTurns: 8,
	defaultMode: 'chat',
	modes: ['chat'],
	async start(ctx, tpl): Promise<PresetRun> {
		const task = ctx.task;
		const sql = isSqlTask(task);
		const taskText = sql
			? `Database: ${task.db}\n${task.evidence ? `Hint: ${task.evidence}\n` : ''}Question: ${task.question}`
			: `${task.description}\n\nYour code should pass these tests:\n${task.tests.join('\n')}`;
		const prompt = renderPrompt(tpl, {
			task_text: taskText,
			run_tool: sql ? 'run_sql' : 'run_python',
			answer_kind: sql ? 'SQL query' : 'Python solution'
		});
		const kind = sql ? 'sql' : 'python';
		let last = '';
		return {
			prompt,
			tools: [sql ? toolSpecs.run_sql : toolSpecs.run_python, toolSpecs.submit],
			executeOnLastTurn: true,
			stop: () => [],
			parser: () => new StopParser([], () => ({ type: 'none' })),
			toolCalls(calls) {
				const offered = [sql ? 'run_sql' : 'run_python', 'submit'];
				return calls.map((call) => {
					// A call of a tool not offered, or with arguments that are not the JSON asked for, is
					// answered with an error the model can act on, never run with empty code.
					if (!offered.includes(call.name))
						return { kind, code: '', call, error: unknownToolText(call.name, offered) };
					const callKind = call.name === 'submit' ? ('submit' as const) : kind;
					const name =
						call.name === 'submit' ? 'answer' : call.name === 'run_sql' ? 'query' : 'code';
					const code = argument(call.arguments, name);
					if (code === null)
						return { kind: callKind, code: '', call, error: badArgumentsText(call, name) };
					return { kind: callKind, code, call };
				});
			},
			async act(action, _turn, signal) {
				const out = await runCode(ctx.runtime, task, action.kind, action.code, {
					session: ctx.session,
					timeoutMs: ctx.execTimeoutMs,
					signal
				});
				if (out.status === 'ok')
					last =
						action.kind === 'python'
							? [last, action.code].filter(Boolean).join('\n\n')
							: action.code;
				const { plain, ...rest } = out;
				return { observation: { ...rest, text: plain } };
			},
			async invalid() {
				// A reply without tool calls ends the run; the answer is the code that ran.
				return { kind, code: last, raw: '' };
			},
			answer: (answer, _turn, signal) => scoreAnswer(ctx.runtime, task, answer, signal),
			async atTurnLimit() {
				return {};
			}
		};
	}
};

import { StopParser, type TurnOutcome } from '../agent/stream-parser.ts';
import type { SqlTask } from '../trace/events.ts';
import type { IntercodeObservation } from '../rewards/intercode-sql.ts';
import { intercodeExec, intercodeObservationText, intercodeSubmit } from './intercode-exec.ts';
import { interCode } from './sources.ts';
import { renderPrompt } from './template.ts';
import type { Preset, PresetRun } from './types.ts';

// InterCode ReAct (princeton-nlp/intercode experiments/eval_react.py, TemplateReAct): completion
// prompt = instructions + demos + `Question: {query}`, then `Thought {i}:`; stop at `\nObservation {i}:`;
// each step appended as `Thought {i}: …\nAction {i}: …\nObservation {i}: …\n`; observations cut to
// 350 characters or 25 rows; `submit` after max_turns. The demos below are ours, in InterCode's format.

/** ReAct's observation limits (eval_react.py). */
const maxChars = 350;
const maxRows = 25;

/** The non-code action observation of eval_react.py (the env name is lower-case `sql` there). */
export const reactNotCodeText =
	'Error executing query: Your last `execute` action did not contain sql code';

/** `sql_parser_react`: `submit`, or the code of `execute[…]` (greedy, so nested brackets survive), cut at `;`. */
export function parseReactAction(action: string): { submit: true } | { code: string } | null {
	if (action === 'submit') return { submit: true };
	const m = /execute\[([\s\S]*)\]/.exec(action);
	if (!m) return null;
	const code = m[1];
	return { code: code.includes(';') ? code.slice(0, code.indexOf(';')) : code };
}

/** Splits a ReAct turn into thought and action as eval_react.py does (`strip().split("\nAction i: ")`). */
export function splitReactTurn(
	text: string,
	turn: number
): { thought: string; action: string } | null {
	let t = text.trim();
	const marker = `Action ${turn}: `;
	// A chat model may start with the action itself or repeat the `Thought i:` prefix.
	if (t.startsWith(marker)) t = `\n${t}`;
	t = t.replace(new RegExp(`^Thought ${turn}:\\s*`), '');
	const parts = t.split(`\n${marker}`);
	if (parts.length !== 2) return null;
	return { thought: parts[0].trim(), action: parts[1].trim() };
}

const template = {
	system: `Interact with a {setting} system using {language} queries to answer a question.
Use interleaving Thought, Action, Observation steps.
Thought can reason about the current situation, and Action can be two types: 
(1) execute, which executes {language} code on the {setting} system
(2) submit, which indicates that the previous observation is the answer
Here are some examples.
Question: How many pupils are in year 7?
Thought 1: I should find out which tables exist.
Action 1: execute[SHOW TABLES]
Observation 1: [('grades',), ('pupils',)]
Thought 2: The pupils table should have the year. I should look at its columns.
Action 2: execute[DESC pupils]
Observation 2: [('id', 'integer', 'NO', 'PRI', None, ''), ('name', 'text', 'YES', '', None, ''), ('year', 'integer', 'YES', '', None, '')]
Thought 3: I can count the pupils whose year is 7.
Action 3: execute[SELECT COUNT(*) FROM pupils WHERE year = 7]
Observation 3: [(31,)]
Thought 4: There are 31 pupils in year 7. This answers the question.
Action 4: submit
Question: List the names of products that cost more than 10.
Thought 1: I should write a query on a products table.
Action 1: execute[SELECT name FROM product WHERE price > 10]
Observation 1: Error executing query: no such table: product
Thought 2: The table name is different. I should list the tables.
Action 2: execute[SHOW TABLES]
Observation 2: [('orders',), ('products',)]
Thought 3: The table is called products.
Action 3: execute[SELECT name FROM products WHERE price > 10]
Observation 3: [('Lamp',), ('Kettle',)]
Thought 4: These are the products that cost more than 10. I can submit.
Action 4: submit
`,
	user: 'Question: {question}'
};

/** InterCode ReAct: `Thought i` / `Action i: execute[…]` / `submit`, stop at `\nObservation i:`. */
export const intercodeReactPreset: Preset = {
	id: 'intercode-react',
	label: 'InterCode ReAct',
	description:
		'Thought / Action execute[…] / Observation steps; submit when the last result is the answer.',
	kinds: ['sql'],
	source: {
		label: 'InterCode ReAct (Yang et al., 2023)',
		links: [
			interCode.paper,
			interCode.file('experiments/eval_react.py'),
			interCode.file('experiments/utils/prompts.py')
		]
	},
	defaultTemplate: template,
	defaultMaxTurns: 10,
	defaultMode: 'completion',
	modes: ['completion', 'chat'],
	async start(ctx, tpl): Promise<PresetRun> {
		const task = ctx.task as SqlTask;
		// InterCode appends `Thought 1:` straight after the question, without a newline; kept as is.
		const prompt = renderPrompt(
			tpl,
			{ setting: 'MySQL Database', language: 'SQL', question: task.question },
			''
		);
		// After reset and `use {db}` the env's observation is None.
		let last: IntercodeObservation = null;
		let lastCode = '';
		const steps = new Map<number, { thought: string; action: string }>();
		const read =
			(turn: number) =>
			(text: string): TurnOutcome => {
				const split = splitReactTurn(text, turn);
				if (!split) return { type: 'invalid', reason: 'no-action', raw: text };
				steps.set(turn, split);
				const parsed = parseReactAction(split.action);
				if (!parsed) return { type: 'invalid', reason: 'not-code', raw: split.action };
				if ('submit' in parsed)
					return { type: 'answer', kind: 'sql', code: lastCode, raw: split.action };
				return { type: 'action', kind: 'sql', code: parsed.code, raw: split.action };
			};
		const observation = (turn: number, text: string) => `Observation ${turn}: ${text}\n`;
		return {
			prompt,
			executeOnLastTurn: true,
			stop: (turn) => [`\nObservation ${turn}:`],
			prefix: (turn) => `Thought ${turn}:`,
			parser: (turn) => new StopParser([`\nObservation ${turn}:`], read(turn)),
			async act(action, turn, signal) {
				const step = await intercodeExec(ctx.runtime, task.db, action.code, {
					timeoutMs: ctx.execTimeoutMs,
					signal
				});
				last = step.observation;
				lastCode = action.code;
				const shown = intercodeObservationText(step.observation, maxChars, maxRows);
				return {
					observation: {
						status: step.status,
						text: observation(turn, shown.text),
						truncated: shown.truncated,
						result: step.summary,
						durationMs: step.durationMs
					}
				};
			},
			async invalid(_outcome, _text, turn) {
				return {
					observation: {
						status: 'invalid',
						text: observation(turn, reactNotCodeText),
						truncated: false,
						result: {},
						durationMs: 0
					}
				};
			},
			async answer(_answer, _turn, signal) {
				return { reward: await intercodeSubmit(ctx.runtime, task, last, signal) };
			},
			async atTurnLimit() {
				return { answer: { kind: 'sql', code: lastCode, raw: 'submit', forced: true } };
			},
			renderTurn(turnText, turn, obs) {
				const step = steps.get(turn);
				if (!step) return `Thought ${turn}:${turnText}\n${obs}`;
				return `Thought ${turn}: ${step.thought}\nAction ${turn}: ${step.action}\n${obs}`;
			}
		};
	}
};

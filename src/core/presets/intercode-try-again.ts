import { StopParser, type TurnOutcome } from '../agent/stream-parser.ts';
import type { SqlTask } from '../trace/events.ts';
import type { IntercodeObservation } from '../rewards/intercode-sql.ts';
import { intercodeExec, intercodeObservationText, intercodeSubmit } from './intercode-exec.ts';
import { interCode } from './sources.ts';
import { renderPrompt } from './template.ts';
import type { Preset, PresetRun, Reward } from './types.ts';

// InterCode "Try Again" (princeton-nlp/intercode experiments/eval_n_turn.py, TemplateV2): after
// every action the harness also submits, so the model sees `{setting} Output: {obs}\nReward:
// {reward}…`; the run stops at reward 1 or max_turns (10) and scores the MAX reward over its turns
// (`max(turn_history["rewards"])`, a turn without code counting 0); the chat keeps the first two messages
// and the last 5 (SQL's dialogue_limit); observations cut to 1000 characters or 50 rows (chat
// policy, policies.py).

const maxChars = 1000;
const maxRows = 50;
const dialogueLimit = 5;
const setting = 'MySQL Database';
const language = 'SQL';

const keywords = ['SHOW', 'SELECT', 'DESCRIBE', 'DESC'];
const upToSemicolon = (x: string) => (x.includes(';') ? x.slice(0, x.indexOf(';')) : x);

/** InterCode's `sql_parser`: a fenced block or the text from the first SQL keyword, up to `;`. */
export function parseIntercodeSql(action: string): string | null {
	action = action.replace(/\\_/g, '_');
	if (!action.includes('```')) {
		// InterCode's `action[len("SQL: ")]` takes one character there; read as the intended slice.
		if (action.startsWith('SQL: ')) return upToSemicolon(action.slice(5));
		for (const k of keywords)
			if (action.includes(k)) return upToSemicolon(action.slice(action.indexOf(k)));
	}
	const matches = [
		...[...action.matchAll(/```(?:sql|SQL)?([\s\S]+?)```/g)].map((m) => m[1]),
		...[...action.matchAll(/```([\s\S]+?)```/g)].map((m) => m[1])
	];
	if (matches.length === 0) return null;
	const code = upToSemicolon(matches[0].split(/\s+/).filter(Boolean).join(' '));
	const first = code.split(/\s+/)[0]?.toUpperCase() ?? '';
	return keywords.includes(first) ? code : null;
}

/** TemplateV2's retry message when no code was found. */
export const tryAgainRetryText = `No ${language} code was found in your last response.

Your response should be a ${language} command. Format your ${language} command as follows:

\`\`\`${language}
Your ${language} code here
\`\`\`
`;

const template = {
	system: `## TASK DESCRIPTION
You are a {language} code generator helping me answer a question using {language}. 
I will ask you a question, and your task is to interact with a {setting} system using {language} commands to come up with the answer. 

## RESPONSE FORMAT
Your response should be a {language} command. Format your {language} command as follows:
\`\`\`{language}
Your {language} code here
\`\`\`

DO NOT WRITE ANYTHING EXCEPT FOR CODE in your response.

Try \`\`\`sql
SHOW TABLES\`\`\` or \`\`\`sql
DESCRIBE <table_name> to learn more about the database\`\`\`.



## OUTPUT DESCRIPTION
Given your {language} command input, the system will then give back output formatted as follows:

Output: <string>
Reward: [0, 1]

The output is the standard output from executing your {language} command.
The reward is a decimal value between 0 and 1, which tells you how close your {language} command is to the correct answer. 
The closer the reward is to 1, the closer your {language} command is to the correct answer.

You have to try to maximize the reward.
`,
	user: 'Query: "{question}".\nDo not generate any output or reward.\n'
};

/** InterCode Try Again: one SQL command per turn, scored at once; stop at reward 1. */
export const intercodeTryAgainPreset: Preset = {
	id: 'intercode-try-again',
	label: 'InterCode Try Again',
	description:
		'One SQL command per turn, each executed and scored (needs gold SQL); stops at reward 1.',
	kinds: ['sql'],
	source: {
		label: 'InterCode "Try Again" (Yang et al., 2023)',
		links: [
			interCode.paper,
			interCode.file('experiments/eval_n_turn.py'),
			interCode.file('experiments/utils/prompts.py')
		]
	},
	defaultTemplate: template,
	defaultMaxTurns: 10,
	defaultMode: 'chat',
	modes: ['chat', 'completion'],
	async start(ctx, tpl): Promise<PresetRun> {
		const task = ctx.task as SqlTask;
		const prompt = renderPrompt(tpl, { setting, language, question: task.question });
		// The first turn with the highest reward (Python's max keeps the first of equals).
		let best: Reward | null = null;
		const read = (text: string): TurnOutcome => {
			const code = parseIntercodeSql(text);
			return code === null
				? { type: 'invalid', reason: 'not-code', raw: text }
				: { type: 'action', kind: 'sql', code, raw: text };
		};
		return {
			prompt,
			executeOnLastTurn: true,
			stop: () => [],
			parser: () => new StopParser([], read),
			async act(action, _turn, signal) {
				const step = await intercodeExec(ctx.runtime, task.db, action.code, {
					timeoutMs: ctx.execTimeoutMs,
					signal
				});
				const reward = await intercodeSubmit(ctx.runtime, task, step.observation, signal);
				if (best === null || (reward.value ?? 0) > (best.value ?? 0)) best = reward;
				const obs: IntercodeObservation =
					step.observation !== null &&
					typeof step.observation !== 'string' &&
					step.observation.rows.length === 0
						? 'No output'
						: step.observation;
				const shown = intercodeObservationText(obs, maxChars, maxRows);
				const text = `${setting} Output: ${shown.text}\nReward: ${reward.repr}\nHere is the query again: "${task.question}"\nTry something different to generate ${language} command to get a reward of 1.\nDo not generate any output or reward.\n`;
				return {
					observation: {
						status: step.status,
						text,
						truncated: shown.truncated,
						result: step.summary,
						durationMs: step.durationMs
					},
					reward: { value: reward.value, components: reward.components },
					done: reward.value === 1
				};
			},
			async invalid() {
				// eval_n_turn.py logs reward 0 (an int) for a turn without code.
				if (best === null) best = { value: 0, components: { repr: '0' } };
				return {
					observation: {
						status: 'invalid',
						text: tryAgainRetryText,
						truncated: false,
						result: {},
						durationMs: 0
					}
				};
			},
			async answer() {
				return { reward: best };
			},
			async atTurnLimit() {
				return { result: { reward: best ?? { value: 0, components: { repr: '0' } } } };
			},
			window(messages) {
				if (messages.length <= 2 + dialogueLimit) return messages;
				return [...messages.slice(0, 2), ...messages.slice(messages.length - dialogueLimit)];
			}
		};
	}
};

import { TagParser } from '../agent/stream-parser.ts';
import type { SqlTask } from '../trace/events.ts';
import { isMultiStatement, oneStatementMessage } from '../eval/python-sqlite.ts';
import { skyrlDbFile, skyrlFormatValid, skyrlReward } from '../rewards/skyrl.ts';
import { dataFrameToString, distinctRows } from './dataframe-format.ts';
import { sqlStatus, sqlSummary } from './observations.ts';
import { schemaToDdl } from './schema-text.ts';
import { reExSql, skyrl } from './sources.ts';
import { renderPrompt } from './template.ts';
import type { Observation, Preset, PresetRun } from './types.ts';

// ReEx-SQL's pattern as SkyRL-SQL implements it (NovaSky-AI/SkyRL skyrl-gym/skyrl_gym/tools/sql.py,
// envs/sql/env.py, envs/sql/utils.py): the observation texts below are theirs, to the character.

/** SkyRL-SQL's per-query timeout (seconds → ms). */
const queryTimeoutMs = 5_000;
/** SkyRL-SQL truncates observations longer than this many characters… */
const maxObservationChars = 9000;
/** …to this many rows of the DataFrame. */
const truncatedRows = 50;

/** The invalid-action observation of SkyRL-SQL. */
export const skyrlInvalidText =
	'Your previous action is invalid. Follow the format of outputting thinking process and sql tool, and try again.';

/** Wraps an observation body with the turns-left reminder, exactly as SkyRL-SQL does. */
export function skyrlObservationText(obs: string, turnsLeft: number): string {
	const reminder = `<reminder>You have ${turnsLeft} turns left to complete the task.</reminder>`;
	return `\n\n<observation>${obs}\n${reminder}</observation>\n\n`;
}

/** The body SkyRL-SQL shows for a result: the DataFrame of the distinct rows, truncated past 9000 chars. */
export function skyrlResultBody(rows: Parameters<typeof distinctRows>[0]): {
	text: string;
	truncated: boolean;
} {
	// frozenset(rows): duplicates go; Python's set order is hash order (randomised for str), so the
	// playground keeps first-seen order.
	const distinct = distinctRows(rows);
	const text = dataFrameToString(distinct);
	if (text.length <= maxObservationChars) return { text, truncated: false };
	return {
		text:
			'Truncated to 50 lines since returned response too long: ' +
			dataFrameToString(distinct.slice(0, truncatedRows)),
		truncated: true
	};
}

/** tools/sql.py's error body: `Error executing SQL: {str(e)}, db file: {db_file}` ({@link skyrlDbFile}). */
export function skyrlErrorText(message: string, task: Pick<SqlTask, 'id' | 'db'>): string {
	return `Error executing SQL: ${message}, db file: ${skyrlDbFile(task)}`;
}

const template = {
	system:
		'You are a data science expert. Below, you are provided with a database schema and a natural language question. Your task is to understand the schema and generate a valid SQL query to answer the question within limited turns. You should break down the problem, draft your reasoning process, and generate the solution.',
	user: `Database Engine:
SQLite

Database Schema:
{db_details}
This schema describes the database's structure, including tables, columns, primary keys, foreign keys, and any relevant relationships or constraints.

External Knowledge:
{external_knowledge}

Question:
{question}

Instructions:
- Make sure you only output the information that is asked in the question. If the question asks for a specific column, make sure to only include that column in the SELECT clause, nothing more.
- The generated query should return all of the information asked in the question without any missing or extra information.
- Before generating the final SQL query, think through the steps of how to write the query.

Format:
- Conduct thinking inside <think>...</think> blocks every time you get new observation or information.
- You can use SQL tool written within a single <sql>your sql</sql> block to explore or verify. SQL tool output will be shown as dataframe inside <observation>...</observation>. Based on this observation, you can think again and refine.
- The returned dataframe will be truncated in 50 rows if observation is too long.
- If you find no further exploration is needed or reaches max turns, you MUST directly provide the final SQL query solution inside <solution>...</solution>.
- You have {max_turns} turns.`
};

/** ReEx-SQL / SkyRL-SQL: `<think>`, `<sql>` actions, `<observation>` with a reminder, `<solution>`. */
export const skyrlSqlPreset: Preset = {
	id: 'skyrl-sql',
	label: 'ReEx-SQL / SkyRL-SQL',
	description: 'Think, run <sql> queries read-only, see them as a DataFrame, answer in <solution>.',
	kinds: ['sql'],
	source: {
		label: "ReEx-SQL's pattern (Dai et al., 2025) as SkyRL-SQL implements it",
		links: [
			reExSql.paper,
			skyrl.file('skyrl-gym/skyrl_gym/envs/sql/env.py'),
			skyrl.file('skyrl-gym/skyrl_gym/tools/sql.py')
		]
	},
	defaultTemplate: template,
	defaultMaxTurns: 5,
	defaultMode: 'completion',
	modes: ['completion', 'chat'],
	async start(ctx, tpl): Promise<PresetRun> {
		const task = ctx.task as SqlTask;
		const schema = await ctx.runtime.sql.schema(task.db);
		const prompt = renderPrompt(tpl, {
			db_details: schemaToDdl(schema),
			external_knowledge: task.evidence ?? '',
			question: task.question,
			max_turns: ctx.maxTurns,
			db_id: task.db
		});
		const observe = (body: string, turn: number, rest: Partial<Observation>): Observation => ({
			status: 'ok',
			truncated: false,
			result: {},
			durationMs: 0,
			...rest,
			text: skyrlObservationText(body, ctx.maxTurns - turn)
		});
		return {
			prompt,
			executeOnLastTurn: false,
			stop: () => ['</sql>', '</solution>'],
			parser: () =>
				new TagParser(
					[
						{ open: '<sql>', close: '</sql>', role: 'action', kind: 'sql' },
						{ open: '<solution>', close: '</solution>', role: 'answer', kind: 'sql' }
					],
					(code, spec) => (spec.role === 'answer' ? code.trim() : code)
				),
			async act(action, turn, signal) {
				// Python's sqlite3 refuses a second statement before running anything.
				if (isMultiStatement(action.code))
					return {
						observation: observe(skyrlErrorText(oneStatementMessage, task), turn, {
							status: 'error',
							result: { engine: 'sql', sql: action.code, ok: false, error: oneStatementMessage }
						})
					};
				const result = await ctx.runtime.sql.exec(action.code, {
					db: task.db,
					readOnly: true,
					timeoutMs: ctx.execTimeoutMs ?? queryTimeoutMs,
					signal
				});
				const status = sqlStatus(result);
				let body: { text: string; truncated: boolean };
				if (status === 'timeout') body = { text: `SQL Timeout:\n${action.code}`, truncated: false };
				else if (!result.ok)
					body = {
						text: skyrlErrorText(result.error?.message ?? 'unknown error', task),
						truncated: false
					};
				else body = skyrlResultBody(result.rows);
				return {
					observation: observe(body.text, turn, {
						status,
						truncated: body.truncated || result.truncated,
						result: sqlSummary(result, action.code),
						durationMs: result.durationMs
					})
				};
			},
			async invalid(_outcome, _text, turn) {
				return { observation: observe(skyrlInvalidText, turn, { status: 'invalid' }) };
			},
			async answer(answer, _turn, signal, history) {
				return { reward: await skyrlReward(ctx.runtime, task, history, signal) };
			},
			async atTurnLimit(signal, history) {
				return { result: { reward: await skyrlReward(ctx.runtime, task, history, signal) } };
			}
		};
	}
};

export { skyrlFormatValid };

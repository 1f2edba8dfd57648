import type { Runtime } from '../runtime.ts';
import type { ActionKind, AgentTask, SqlTask } from '../trace/events.ts';
import { dataFrameToString } from './dataframe-format.ts';
import {
	pythonOutputText,
	pythonStatus,
	pythonSummary,
	sqlStatus,
	sqlSummary
} from './observations.ts';
import { truncateText } from './template.ts';
import type { Answer, AnswerResult, Observation } from './types.ts';
import { pythonTestsReward } from '../rewards/python-tests.ts';
import { skyrlReward } from '../rewards/skyrl.ts';
import { frozensetEqual } from '../rewards/skyrl.ts';

/** Rows and characters shown by the markdown and tool presets. */
const maxRows = 50;
const maxChars = 4000;

/** Whether a task is an SQL task. */
export const isSqlTask = (task: AgentTask): task is SqlTask => 'question' in task;

/** Runs code for the markdown and tool presets; the plain text is formatted by the caller. */
export async function runCode(
	runtime: Runtime,
	task: AgentTask,
	kind: ActionKind,
	code: string,
	options: { session: string; timeoutMs?: number; signal: AbortSignal }
): Promise<Omit<Observation, 'text'> & { plain: string }> {
	if (kind === 'sql') {
		if (!isSqlTask(task)) {
			return {
				status: 'invalid',
				plain: 'This task has no database; run Python instead.',
				truncated: false,
				result: {},
				durationMs: 0
			};
		}
		const result = await runtime.sql.exec(code, {
			db: task.db,
			readOnly: true,
			timeoutMs: options.timeoutMs,
			signal: options.signal
		});
		let plain: string;
		let truncated = result.truncated;
		if (!result.ok) plain = `Error: ${result.error?.message ?? 'unknown error'}`;
		else if (result.columns.length === 0)
			plain = `OK (${result.rowsAffected} rows affected; changes are rolled back)`;
		else {
			plain = dataFrameToString(result.rows.slice(0, maxRows), result.columns);
			if (result.rowCount > maxRows) {
				plain += `\n… ${result.rowCount - maxRows} more rows (${result.rowCount} in all)`;
				truncated = true;
			}
		}
		return {
			status: sqlStatus(result),
			plain,
			truncated,
			result: sqlSummary(result, code),
			durationMs: result.durationMs
		};
	}
	const result = await runtime.python.run(code, {
		session: options.session,
		timeoutMs: options.timeoutMs,
		signal: options.signal
	});
	const shown = truncateText(pythonOutputText(result) || '(no output)', maxChars);
	return {
		status: pythonStatus(result),
		plain: shown.text,
		truncated: shown.truncated || result.truncated.stdout || result.truncated.stderr,
		result: pythonSummary(result),
		durationMs: result.durationMs
	};
}

/** Scores a final answer: the task's tests for Python, execution match against gold for SQL. */
export async function scoreAnswer(
	runtime: Runtime,
	task: AgentTask,
	answer: Answer,
	signal: AbortSignal
): Promise<AnswerResult> {
	if (!isSqlTask(task)) {
		if (task.tests.length === 0) return { reward: null };
		return { reward: (await pythonTestsReward(runtime, task, answer.code, { signal })).reward };
	}
	if (task.gold === undefined || !answer.code) return { reward: null };
	const options = { db: task.db, readOnly: true, maxRows: 1_000_000, signal };
	const [p, g] = [
		await runtime.sql.exec(answer.code, options),
		await runtime.sql.exec(task.gold, options)
	];
	const match = p.ok && g.ok && frozensetEqual(p.rows, g.rows);
	return { reward: { value: match ? 1 : 0, components: { execMatch: match, predOk: p.ok } } };
}

export { skyrlReward };

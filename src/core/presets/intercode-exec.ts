import type { Runtime } from '../runtime.ts';
import type { SqlExecResult } from '../../../workers/protocol.ts';
import type { IntercodeObservation } from '../rewards/intercode-sql.ts';
import { intercodeObservationStr, intercodeSqlReward } from '../rewards/intercode-sql.ts';
import type { ObservationStatus, SqlTask } from '../trace/events.ts';
import type { Reward } from './types.ts';
import { translateMysql } from './mysql-translate.ts';
import { sqlStatus, sqlSummary } from './observations.ts';

/** One InterCode `exec_action`: the env's observation (rows, error text or None) and the raw result. */
export interface IntercodeStep {
	observation: IntercodeObservation;
	result: SqlExecResult | null;
	summary: Record<string, unknown>;
	status: ObservationStatus;
	durationMs: number;
}

// Queries run read-only so the user's database is never changed by an agent (InterCode's container
// would keep changes until the next task).
/** Runs an action as InterCode's SqlEnv.exec_action does, after the MySQL → SQLite translation. */
export async function intercodeExec(
	runtime: Runtime,
	db: string,
	sql: string,
	options: { timeoutMs?: number; signal?: AbortSignal }
): Promise<IntercodeStep> {
	const t = translateMysql(sql);
	if (t.sql === null) {
		return {
			observation: null,
			result: null,
			summary: { engine: 'sql', sql, noop: true, intercodeObs: 'None' },
			status: 'noop',
			durationMs: 0
		};
	}
	const result = await runtime.sql.exec(t.sql, {
		db,
		readOnly: true,
		...options,
		maxRows: 100_000
	});
	const status = sqlStatus(result);
	const observation: IntercodeObservation = result.ok
		? result.columns.length > 0
			? { rows: result.rows, types: result.types }
			: null
		: `Error executing query: ${result.error?.message ?? status}`;
	const summary = {
		...sqlSummary(result, sql),
		...(t.translated ? { translatedTo: t.sql } : {}),
		// Python's str() of the env's observation, whole, as InterCode's logs keep it.
		intercodeObs: intercodeObservationStr(observation)
	};
	return {
		observation,
		result,
		summary,
		status,
		durationMs: result.durationMs
	};
}

/** Python's str() of an InterCode observation, cut as a runner does (chars for text, rows for lists). */
export function intercodeObservationText(
	observation: IntercodeObservation,
	maxChars: number,
	maxRows: number
): { text: string; truncated: boolean } {
	if (observation === null) return { text: 'None', truncated: false };
	if (typeof observation === 'string') {
		return observation.length > maxChars
			? { text: observation.slice(0, maxChars), truncated: true }
			: { text: observation, truncated: false };
	}
	const truncated = observation.rows.length > maxRows;
	const shown = truncated
		? { rows: observation.rows.slice(0, maxRows), types: observation.types.slice(0, maxRows) }
		: observation;
	return { text: intercodeObservationStr(shown), truncated };
}

/** `env.step("submit")`: the reward of the last observation against the gold query's rows. */
export async function intercodeSubmit(
	runtime: Runtime,
	task: SqlTask,
	last: IntercodeObservation,
	signal?: AbortSignal
): Promise<Reward & { repr: string }> {
	if (task.gold === undefined) return { value: null, repr: 'None', components: { gold: false } };
	const gold = await runtime.sql.exec(task.gold, {
		db: task.db,
		readOnly: true,
		maxRows: 1_000_000,
		signal
	});
	const r = intercodeSqlReward(last, gold.ok ? { rows: gold.rows, types: gold.types } : []);
	return {
		value: r.value,
		repr: r.repr,
		components: { iou: r.iou, tau: r.tau, corruptGold: !gold.ok, repr: r.repr }
	};
}

import { z } from 'zod';
import type { SqlValue } from '../../../workers/protocol.ts';
import { pyRowsRepr, pyTupleRepr } from '../presets/python-repr.ts';
import type { AgentEvent } from '../trace/events.ts';
import { TraceImportError, traceToV2, type TraceV2 } from '../trace/trace-v2.ts';
import { parseJson } from './execlab.ts';

/**
 * InterCode's trajectory log as `IntercodeEnv.save_trajectory` (princeton-nlp/intercode,
 * intercode/envs/ic_env.py) writes it: one entry per `step`, the `submit` entry's observation
 * `"None"`, and `info` from the env's `get_reward` (sql_env.py: agent_obs, eval_obs, corrupt_gold, reward).
 */
export const intercodeLogSchema = z.object({
	environment: z.string(),
	query_idx: z.union([z.number(), z.string()]),
	query: z.string(),
	gold: z.string(),
	reward: z.number().nullable(),
	trajectory: z.array(z.object({ action: z.string(), observation: z.string() })),
	info: z.record(z.string(), z.unknown())
});
/** InterCode's trajectory log. */
export type IntercodeLog = z.infer<typeof intercodeLogSchema>;

type Observation = Extract<AgentEvent, { type: 'observation' }>;

/** What the env's `exec_action` left in `self.observation`: rows, an error string or None. */
export function intercodeObservation(e: Observation): SqlValue[][] | string | null {
	const r = e.result as {
		ok?: boolean;
		columns?: unknown[];
		rows?: SqlValue[][];
		rowCount?: number;
		error?: { message?: string } | null;
		noop?: boolean;
	};
	if (r.noop) return null;
	if (r.ok === false) return `Error executing query: ${r.error?.message ?? e.status}`;
	if (!r.columns?.length) return null;
	const rows = r.rows ?? [];
	if (r.rowCount !== undefined && r.rowCount > rows.length)
		throw new RangeError(`turn ${e.turn}: the trace kept ${rows.length} of ${r.rowCount} rows`);
	return rows;
}

// save_trajectory: a list is joined as ''.join(map(str, obs)), anything else is str(obs).
function trajectoryText(obs: SqlValue[][] | string | null): string {
	return Array.isArray(obs) ? obs.map((row) => pyTupleRepr(row)).join('') : (obs ?? 'None');
}

// get_reward: info[AGENT_OBS] = str(self.observation).
function strText(obs: SqlValue[][] | string | null): string {
	return Array.isArray(obs) ? pyRowsRepr(obs) : (obs ?? 'None');
}

/**
 * A trace as InterCode's save_trajectory log (SQL presets). `info` is get_reward's dict in its order
 * (agent_obs, corrupt_gold, eval_obs, reward); eval_obs needs the gold query's rows (`goldRows`),
 * which a trace does not keep, and is left out without them.
 */
export function toIntercodeLog(
	trace: TraceV2,
	options: { queryIdx?: number | string; goldRows?: SqlValue[][] } = {}
): IntercodeLog {
	const task = trace.header.task;
	if (!('question' in task)) throw new RangeError('InterCode logs are written for SQL tasks');
	const trajectory: IntercodeLog['trajectory'] = [];
	let last: SqlValue[][] | string | null = null;
	let reward: number | null = null;
	let corrupt: unknown = false;
	let agentObs: string | null = null;
	for (const e of trace.events) {
		if (e.type === 'action') trajectory.push({ action: e.code, observation: 'None' });
		else if (e.type === 'observation' && trajectory.length) {
			// An imported log keeps the observation text it was read with.
			const kept = e.result.intercodeObservation;
			last = typeof kept === 'string' ? kept : intercodeObservation(e);
			trajectory[trajectory.length - 1].observation =
				typeof kept === 'string' ? kept : trajectoryText(last);
		} else if (e.type === 'answer') trajectory.push({ action: 'submit', observation: 'None' });
		else if (e.type === 'reward' && e.final) {
			reward = e.value;
			corrupt = e.components.corruptGold ?? e.components.corrupt_gold ?? false;
			if (typeof e.components.agent_obs === 'string') agentObs = e.components.agent_obs;
		}
	}
	return {
		environment: 'ic_sql',
		query_idx: options.queryIdx ?? 0,
		query: task.question,
		gold: task.gold ?? 'N/A',
		reward,
		trajectory,
		info: {
			agent_obs: agentObs ?? strText(last),
			corrupt_gold: corrupt,
			...(options.goldRows ? { eval_obs: pyRowsRepr(options.goldRows) } : {}),
			reward
		}
	};
}

/**
 * Reads an InterCode trajectory log as a v2 trace (preset intercode-react, provider "intercode-log"):
 * each step an action and its observation, `submit` the answer, the log's reward final. Throws a
 * TraceImportError naming the field and why.
 */
export function importIntercodeLog(text: string, db: string): TraceV2 {
	const parsed = intercodeLogSchema.safeParse(parseJson(text, 1));
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new TraceImportError(1, issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
	}
	const log = parsed.data;
	const events: AgentEvent[] = [];
	let answer = '';
	log.trajectory.forEach((step, i) => {
		const turn = i + 1;
		if (step.action.startsWith('submit')) {
			events.push({ type: 'answer', t: turn, turn, kind: 'sql', code: answer, raw: step.action });
			return;
		}
		answer = step.action;
		events.push({
			type: 'action',
			t: turn,
			turn,
			kind: 'sql',
			code: step.action,
			raw: step.action
		});
		const error = step.observation.startsWith('Error executing query: ');
		events.push({
			type: 'observation',
			t: turn,
			turn,
			status: error ? 'error' : 'ok',
			text: step.observation,
			truncated: false,
			result: { engine: 'sql', sql: step.action, intercodeObservation: step.observation },
			durationMs: 0
		});
	});
	return intercodeRunTrace(events, db, {
		turns: log.trajectory.length,
		query: log.query,
		environment: log.environment,
		taskId: String(log.query_idx),
		gold: log.gold,
		budgets: {},
		reward: log.reward,
		components: { ...log.info },
		stop: 'answer'
	});
}

/** What an imported InterCode log says of its run, beside the events of its turns. */
export interface IntercodeRun {
	turns: number;
	query: string;
	environment: string;
	taskId: string;
	/** The gold query, when the log has one. */
	gold?: string;
	budgets: { maxTurns?: number };
	reward: number | null;
	components: Record<string, unknown>;
	stop: 'answer' | 'max-turns';
}

/**
 * The v2 trace of an imported InterCode log (preset intercode-react, provider "intercode-log"): the
 * turns' events, then the final reward and the stop one step after the last turn.
 */
export function intercodeRunTrace(events: AgentEvent[], db: string, run: IntercodeRun): TraceV2 {
	const end = run.turns + 1;
	events.push({
		type: 'reward',
		t: end,
		value: run.reward,
		components: run.components,
		final: true
	});
	events.push({ type: 'stop', t: end, reason: run.stop });
	const header = {
		presetId: 'intercode-react',
		mode: 'completion' as const,
		template: { system: '', user: '' },
		prompt: { system: '', user: run.query, completion: run.query },
		provider: { kind: 'intercode-log', model: run.environment },
		sampling: {},
		task: {
			id: run.taskId,
			question: run.query,
			db,
			...(run.gold === undefined ? {} : { gold: run.gold })
		},
		budgets: run.budgets,
		engines: {},
		startedAt: new Date(0).toISOString()
	};
	return traceToV2({ format: 'execlab-trace', version: 1, header, events });
}

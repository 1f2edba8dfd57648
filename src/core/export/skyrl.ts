import type { SqlTask } from '../trace/events.ts';
import type { TraceV2 } from '../trace/trace-v2.ts';

/**
 * One SkyRL-SQL dataset row: the fields skyrl_gym's Text2SQL env reads from its extras
 * (NovaSky-AI/SkyRL skyrl-gym/skyrl_gym/envs/sql/env.py, `SQLEnv.__init__`: db_id,
 * reward_spec.ground_truth, data, max_turns) plus `prompt` and `env_class`, which the trainer's
 * PromptDataset (skyrl/train/dataset/dataset.py, `__getitem__`) pops before passing the rest on.
 */
export interface SkyrlSqlRow {
	data_source: string;
	prompt: { role: 'system' | 'user'; content: string }[];
	env_class: 'text2sql';
	reward_spec: { method: 'rule'; ground_truth: string };
	db_id: string;
	/** Which database folder the env opens: synsql, spider or bird (anything else raises NotImplementedError). */
	data: 'synsql' | 'spider' | 'bird';
	max_turns: number;
}

/** A SkyRL-SQL row for an SQL trace's task, with its exact prompt; the database goes at `<data>/…/<db_id>/<db_id>.sqlite`. */
export function toSkyrlSqlRow(trace: TraceV2, data: SkyrlSqlRow['data'] = 'spider'): SkyrlSqlRow {
	const task = trace.header.task;
	if (!('question' in task)) throw new RangeError('SkyRL-SQL rows are for SQL tasks');
	return skyrlSqlRow(
		task as SqlTask,
		trace.header.prompt,
		trace.header.budgets.maxTurns ?? 5,
		data
	);
}

/** A SkyRL-SQL row from a task and its rendered prompt. */
export function skyrlSqlRow(
	task: SqlTask,
	prompt: { system: string; user: string },
	maxTurns: number,
	data: SkyrlSqlRow['data'] = 'spider'
): SkyrlSqlRow {
	if (task.gold === undefined)
		throw new RangeError(`task ${task.id ?? task.question}: no gold SQL`);
	return {
		data_source: 'execlab',
		prompt: [
			...(prompt.system ? [{ role: 'system' as const, content: prompt.system }] : []),
			{ role: 'user', content: prompt.user }
		],
		env_class: 'text2sql',
		reward_spec: { method: 'rule', ground_truth: task.gold },
		db_id: task.db,
		data,
		max_turns: maxTurns
	};
}

import type { Runtime } from '../runtime.ts';
import type { SqlTask } from '../trace/events.ts';
import type { Reward } from '../presets/types.ts';
import { birdSetEqual } from '../eval/bird-ex.ts';
import { fetchLikePython, type SqlExec } from '../eval/python-sqlite.ts';
import type { TypedRows } from '../eval/python-value.ts';
import { typedRows, type Rows } from './typed-rows.ts';

// SkyRL-SQL's reward (NovaSky-AI/SkyRL skyrl-gym/skyrl_gym/envs/sql/utils.py
// `calculate_reward_single`): −1 when the format is invalid, else 1 when
// frozenset(pred_rows) == frozenset(gold_rows), else 0 (either query raising, e.g. Python's
// "You can only execute one statement at a time.", gives 0); 30 s per query.

/** SkyRL-SQL's reward timeout per query (`calculate_reward_single(..., timeout=30)`). */
const rewardTimeoutMs = 30_000;

/** `Text2SQLEnvConfig.db_path`'s default (skyrl-gym/skyrl_gym/envs/sql/env.py). */
export const skyrlDefaultDbPath = '/home/ray/default/sql_data';

/** The folder `SQLEnv.__init__` joins to db_path for each `data` value. */
const dataFolders = {
	synsql: 'SynSQL-2.5M/databases',
	spider: 'spider/database',
	bird: 'bird/train/train_databases'
} as const;

/** Which SkyRL `data` a task belongs to: `bird/…` and `synsql/…` ids by name, anything else spider (as the SkyRL-SQL export's default). */
export function skyrlDataOf(task: Pick<SqlTask, 'id'>): keyof typeof dataFolders {
	if (task.id?.startsWith('bird/')) return 'bird';
	if (task.id?.startsWith('synsql/')) return 'synsql';
	return 'spider';
}

/**
 * The database file SQLEnv opens and its errors name: `os.path.join(db_path, <data folder>, db_id,
 * db_id + ".sqlite")`, e.g. `/home/ray/default/sql_data/spider/database/school/school.sqlite`.
 */
export function skyrlDbFile(task: Pick<SqlTask, 'id' | 'db'>, dbPath = skyrlDefaultDbPath): string {
	return `${dbPath}/${dataFolders[skyrlDataOf(task)]}/${task.db}/${task.db}.sqlite`;
}

/** `verify_format_and_extract`: the solution text when the episode's text is well-formed, else null. */
export function skyrlFormatValid(output: string): string | null {
	if (output.split('<solution>').length - 1 !== 1) return null;
	const [preSolution, tail] = splitOnce(output, '<solution>');
	if (tail.split('</solution>').length - 1 !== 1) return null;
	const solution = splitOnce(tail, '</solution>')[0];
	if (/<\/?(think|sql|observation)\b/i.test(solution)) return null;
	if (!/<think>([\s\S]*?)<\/think>/.test(output)) return null;
	const closing = /<\/observation>/gi;
	for (let m = closing.exec(preSolution); m; m = closing.exec(preSolution)) {
		const rest = preSolution.slice(m.index + m[0].length).replace(/^\s+/, '');
		if (!rest.toLowerCase().startsWith('<think>')) return null;
	}
	return solution.trim();
}

function splitOnce(s: string, sep: string): [string, string] {
	const i = s.indexOf(sep);
	return [s.slice(0, i), s.slice(i + sep.length)];
}

/** Whether two results are equal as frozensets of row tuples (Python's `==`, via the BIRD metric). */
export function frozensetEqual(a: Rows | TypedRows, b: Rows | TypedRows): boolean {
	return birdSetEqual(typedRows(a), typedRows(b));
}

/**
 * `calculate_reward_single` over the episode text: each query run as `cursor.execute(sql);
 * frozenset(cursor.fetchall())` (Python's sqlite3 rules, one statement only; ours read-only where
 * SkyRL rolls back).
 */
export async function skyrlReward(
	runtime: Runtime,
	task: SqlTask,
	history: string,
	signal?: AbortSignal
): Promise<Reward> {
	const pred = skyrlFormatValid(history);
	if (pred === null) return { value: -1, components: { format: false } };
	if (task.gold === undefined) return { value: null, components: { format: true, pred } };
	const sql: SqlExec = {
		exec: (query, options) => runtime.sql.exec(query, { ...options, signal })
	};
	const options = { timeoutMs: rewardTimeoutMs, strictText: true };
	const p = await fetchLikePython(sql, task.db, pred, options);
	const g = await fetchLikePython(sql, task.db, task.gold, options);
	const equal = p.kind === 'rows' && g.kind === 'rows' && birdSetEqual(p.rows, g.rows);
	return {
		value: equal ? 1 : 0,
		components: {
			format: true,
			pred,
			predOk: p.kind === 'rows',
			goldOk: g.kind === 'rows',
			execMatch: equal,
			...(p.kind === 'error' ? { predError: p.message } : {})
		}
	};
}

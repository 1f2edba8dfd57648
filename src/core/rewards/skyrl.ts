import type { Runtime } from '../runtime.ts';
import type { SqlTask } from '../trace/events.ts';
import type { Reward } from '../presets/types.ts';
import { rowKey } from '../presets/dataframe-format.ts';
import type { SqlValue } from '../../../workers/protocol.ts';

// SkyRL-SQL's reward (NovaSky-AI/SkyRL skyrl-gym/skyrl_gym/envs/sql/utils.py): −1 when the format
// is invalid, else 1 when frozenset(pred_rows) == frozenset(gold_rows), else 0; 30 s per query.

/** SkyRL-SQL's reward timeout per query. */
const rewardTimeoutMs = 30_000;

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

/** Whether two results are equal as frozensets of row tuples. */
export function frozensetEqual(
	a: readonly (readonly SqlValue[])[],
	b: readonly (readonly SqlValue[])[]
): boolean {
	const ka = new Set(a.map(rowKey));
	const kb = new Set(b.map(rowKey));
	if (ka.size !== kb.size) return false;
	for (const k of ka) if (!kb.has(k)) return false;
	return true;
}

/** `calculate_reward_single` over the episode text, running prediction and gold read-only. */
export async function skyrlReward(
	runtime: Runtime,
	task: SqlTask,
	history: string,
	signal?: AbortSignal
): Promise<Reward> {
	const pred = skyrlFormatValid(history);
	if (pred === null) return { value: -1, components: { format: false } };
	if (task.gold === undefined) return { value: null, components: { format: true, pred } };
	const options = {
		db: task.db,
		readOnly: true,
		timeoutMs: rewardTimeoutMs,
		maxRows: 1_000_000,
		signal
	};
	const p = await runtime.sql.exec(pred, options);
	const g = await runtime.sql.exec(task.gold, options);
	const equal = p.ok && g.ok && frozensetEqual(p.rows, g.rows);
	return {
		value: equal ? 1 : 0,
		components: { format: true, pred, predOk: p.ok, goldOk: g.ok, execMatch: equal }
	};
}

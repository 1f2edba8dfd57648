// InterCode's own evaluation logs (princeton-nlp/intercode): an intercode-react trace as
// experiments/eval_react.py's `log_episode`, an intercode-try-again trace as
// experiments/eval_n_turn.py's, and a file of them as `json.dump(self.log_data, fp, indent=2)`.
import { splitReactTurn } from '../presets/intercode-react.ts';
import type { SqlTask } from '../trace/events.ts';
import type { TraceV2 } from '../trace/trace-v2.ts';
import { PyFloat, pyJsonDumps, type PyJson } from './intercode-json.ts';
import { intercodeTurns, type IntercodeTurn } from './intercode-turns.ts';

/** Which evaluation script's log a trace is written as, by preset. */
export const intercodeLogFormats = {
	'intercode-react': 'eval_react',
	'intercode-try-again': 'eval_n_turn'
} as const;

/** Where the run came from, as the script's arguments and loop name it. */
export interface IntercodeLogOptions {
	/** The episode's index in the dataset (`task_id`, and its key in the file). Default 0. */
	taskId?: number;
	/** `--data_path` (the `dataset` field); null when unknown. */
	dataset?: string | null;
	/** The record's `hardness`, written when given. */
	hardness?: string;
}

/** eval_react.py's `log_episode`. */
export interface IntercodeReactEpisode {
	environment: string;
	dataset: string | null;
	task_id: number;
	query: string;
	turn_history: {
		thoughts: string[];
		actions: string[];
		observations: string[];
		rewards: (number | null)[];
		valid_action: (boolean | null)[];
	};
	summary: { max_reward: number | null; turns_taken: number; turns_max: number };
	hardness?: string;
}

/** eval_n_turn.py's `log_episode`. */
export interface IntercodeNTurnEpisode {
	environment: string;
	dataset: string | null;
	task_id: number;
	query: string;
	turn_history: {
		actions: string[];
		observations: string[];
		rewards: (number | null)[];
		valid_action: (boolean | null)[];
	};
	summary: {
		max_reward: number | null;
		max_reward_idx: number;
		turns_taken: number;
		turns_max: number;
	};
	hardness?: string;
}

/** One episode of an InterCode evaluation log. */
export type IntercodeEpisode = IntercodeReactEpisode | IntercodeNTurnEpisode;

/**
 * A trace as the episode its preset's InterCode script logs (react → eval_react.py, try-again →
 * eval_n_turn.py), as the plain JSON value the file holds. Throws a RangeError for other presets.
 */
export function toIntercodeLog(
	trace: TraceV2,
	options: IntercodeLogOptions = {}
): IntercodeEpisode {
	return JSON.parse(pyJsonDumps(intercodeEpisode(trace, options))) as IntercodeEpisode;
}

/**
 * The log file the script writes for these traces, byte for byte: `{task_id: episode}` through
 * `json.dump(..., indent=2)` (Python's floats, non-ASCII escaped). An imported episode keeps its
 * task_id and dataset; another gets its index and `dataset` (default null).
 */
export function intercodeLogText(traces: readonly TraceV2[], dataset?: string | null): string {
	const log: Record<string, PyJson> = {};
	traces.forEach((t, i) => {
		const o = logOptions(t, dataset === undefined ? {} : { dataset });
		o.taskId ??= i;
		log[String(o.taskId)] = intercodeEpisode(t, o);
	});
	return pyJsonDumps(log);
}

/** The options given, else those an imported log left in the trace's parameters (`intercode`). */
function logOptions(trace: TraceV2, given: IntercodeLogOptions): IntercodeLogOptions {
	const kept = (trace.parameters.intercode ?? {}) as {
		task_id?: number;
		dataset?: string | null;
		hardness?: string;
	};
	return {
		taskId: given.taskId ?? kept.task_id,
		dataset: given.dataset !== undefined ? given.dataset : (kept.dataset ?? null),
		hardness: given.hardness ?? kept.hardness
	};
}

/** The episode as a {@link PyJson} value, floats marked. */
export function intercodeEpisode(trace: TraceV2, given: IntercodeLogOptions = {}): PyJson {
	const options = logOptions(trace, given);
	const { presetId, task, budgets } = trace.header;
	if (!('question' in task)) throw new RangeError('InterCode logs are written for SQL tasks');
	const format = intercodeLogFormats[presetId as keyof typeof intercodeLogFormats];
	if (!format)
		throw new RangeError(
			`InterCode logs are written for the intercode-react and intercode-try-again presets, not ${presetId}`
		);
	const turns = intercodeTurns(trace.events);
	const head = {
		environment: 'ic_sql',
		dataset: options.dataset ?? null,
		task_id: options.taskId ?? 0,
		query: (task as SqlTask).question
	};
	const turnsMax = budgets.maxTurns ?? 10;
	const body = format === 'eval_react' ? reactHistory(turns) : nTurnHistory(turns);
	return {
		...head,
		turn_history: body.history,
		summary: { ...body.summary, turns_max: turnsMax },
		...(options.hardness === undefined ? {} : { hardness: options.hardness })
	};
}

type PyNum = number | PyFloat | null;

/** A reward as Python held it: `repr` recorded by the preset, else int only for InterCode's `1` on two empty outputs. */
function pyReward(value: number | null, repr: unknown, lastObs: string): PyNum {
	if (value === null) return null;
	if (typeof repr === 'string') return /^-?\d+$/.test(repr) ? Number(repr) : new PyFloat(value);
	return value === 1 && lastObs === '[]' ? 1 : new PyFloat(value);
}

const numOf = (n: PyNum) => (n instanceof PyFloat ? n.value : (n ?? -Infinity));

/** eval_react.py's turn_history and summary. */
function reactHistory(turns: IntercodeTurn[]) {
	const h = {
		thoughts: [] as string[],
		actions: [] as string[],
		observations: [] as string[],
		rewards: [] as PyNum[],
		valid_action: [] as (boolean | null)[]
	};
	const push = (
		thought: string,
		action: string,
		obs: string,
		reward: PyNum,
		valid: boolean | null
	) => {
		h.thoughts.push(thought);
		h.actions.push(action);
		h.observations.push(obs);
		h.rewards.push(reward);
		h.valid_action.push(valid);
	};
	let shown = 'None';
	let full = 'None';
	let valid: boolean | null = null;
	let reward: PyNum = null;
	let turnsTaken = 0;
	for (const t of turns) {
		const split = splitReactTurn(t.text, t.turn);
		const thought = split?.thought ?? t.text.trim().split('\n')[0];
		if (t.kind === 'submit') {
			reward = pyReward(t.reward?.value ?? null, t.reward?.repr, full);
			if (t.forced) {
				// The loop ran out: submit without truncating the observation, valid_action unchanged.
				push('EXCEEDED MAX TURNS: submit', 'submit', full, reward, valid);
			} else {
				valid = true;
				turnsTaken = t.turn;
				push(thought, split?.action ?? 'submit', shown, reward, valid);
			}
			continue;
		}
		turnsTaken = t.turn;
		const obs = stripPrefix(t.obsText, t.turn);
		if (t.kind === 'exec') {
			valid = t.ok;
			shown = obs;
			full = t.full ?? obs;
		}
		push(thought, split?.action ?? '', obs, 0, valid);
	}
	return { history: h, summary: { max_reward: reward, turns_taken: turnsTaken } };
}

/** eval_n_turn.py's turn_history and summary. */
function nTurnHistory(turns: IntercodeTurn[]) {
	const h = {
		actions: [] as string[],
		observations: [] as string[],
		rewards: [] as PyNum[],
		valid_action: [] as (boolean | null)[]
	};
	for (const t of turns) {
		if (t.kind === 'submit') continue;
		if (t.kind === 'exec') {
			const full = t.full ?? 'None';
			h.actions.push(t.code);
			h.observations.push(full);
			h.rewards.push(pyReward(t.reward?.value ?? 0, t.reward?.repr, full));
			h.valid_action.push(t.ok);
		} else {
			h.actions.push(notCodeAction(t.text));
			h.observations.push(t.obsText);
			h.rewards.push(0);
			h.valid_action.push(false);
		}
	}
	// Python's max(): the first of equal maxima.
	let idx = 0;
	h.rewards.forEach((r, i) => {
		if (numOf(r) > numOf(h.rewards[idx])) idx = i;
	});
	return {
		history: h,
		summary: {
			max_reward: h.rewards.length ? h.rewards[idx] : null,
			max_reward_idx: idx,
			turns_taken: h.actions.length
		}
	};
}

/** `Observation {turn}: text\n` → text. */
function stripPrefix(text: string, turn: number): string {
	const prefix = `Observation ${turn}: `;
	const body = text.startsWith(prefix) ? text.slice(prefix.length) : text;
	return body.endsWith('\n') ? body.slice(0, -1) : body;
}

/** What experiments/utils/utils.py `sql_parser` returns with is_code False: the logged action. */
export function notCodeAction(text: string): string {
	const action = text.replace(/\\_/g, '_');
	const matches = [
		...[...action.matchAll(/```(?:sql|SQL)?([\s\S]+?)```/g)].map((m) => m[1]),
		...[...action.matchAll(/```([\s\S]+?)```/g)].map((m) => m[1])
	];
	if (matches.length === 0) return action;
	const joined = matches[0].split(/\s+/).filter(Boolean).join(' ');
	return joined.includes(';') ? joined.slice(0, joined.indexOf(';')) : joined;
}

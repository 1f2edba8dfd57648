import { z } from 'zod';
import type { AgentEvent } from '../trace/events.ts';
import { TraceImportError, type TraceV2 } from '../trace/trace-v2.ts';
import { parseJson } from './execlab.ts';
import { intercodeRunTrace } from './intercode.ts';

/**
 * One episode of the log InterCode's ReAct evaluation writes (princeton-nlp/intercode
 * experiments/eval_react.py, `ExperimentWrapper.run_expr`: `log_episode`); the file maps each task
 * index to one.
 */
export const intercodeReactEpisodeSchema = z.object({
	environment: z.string(),
	dataset: z.string().nullable(),
	task_id: z.number().int(),
	query: z.string(),
	turn_history: z.object({
		thoughts: z.array(z.string()),
		actions: z.array(z.string()),
		observations: z.array(z.string()),
		rewards: z.array(z.number()),
		valid_action: z.array(z.boolean().nullable())
	}),
	summary: z.object({
		max_reward: z.number().nullable(),
		turns_taken: z.number().int(),
		turns_max: z.number().int()
	}),
	hardness: z.string().optional()
});
/** One episode of InterCode's ReAct evaluation log. */
export type IntercodeReactEpisode = z.infer<typeof intercodeReactEpisodeSchema>;

/**
 * An intercode-react trace as eval_react.py logs its episode: each turn's thought and action as its
 * `thought_action.strip().split("\nAction {turn}: ")` gives them, the observation as shown (the preset
 * already cut it to 350 characters or 25 rows), reward 0 until `submit`, whose observation is the
 * last one and whose reward is the final one; valid_action is the env's `action_executed`.
 */
export function toIntercodeReactEpisode(
	trace: TraceV2,
	options: { taskId?: number; dataset?: string | null } = {}
): IntercodeReactEpisode {
	const task = trace.header.task;
	if (!('question' in task)) throw new RangeError('InterCode ReAct logs are written for SQL tasks');
	const h: IntercodeReactEpisode['turn_history'] = {
		thoughts: [],
		actions: [],
		observations: [],
		rewards: [],
		valid_action: []
	};
	const texts = turnTexts(trace.events);
	let last = 'None';
	let valid: boolean | null = null;
	let turns = 0;
	let final: number | null = null;
	for (const e of trace.events) {
		if (e.type === 'reward' && e.final) final = e.value;
		if (e.type === 'observation') {
			const prefix = `Observation ${e.turn}: `;
			last = e.text.startsWith(prefix) ? e.text.slice(prefix.length).replace(/\n$/, '') : e.text;
			if (e.status !== 'invalid') valid = e.status !== 'error';
			const [thought, action] = split(texts.get(e.turn) ?? '', e.turn);
			push(h, thought, action, last, 0, valid);
			turns = e.turn;
		} else if (e.type === 'answer') {
			const [thought, action] = split(texts.get(e.turn) ?? '', e.turn);
			push(h, thought, action === '' ? 'submit' : action, last, null, valid);
			turns = e.turn;
		}
	}
	const submitted = trace.events.some((e) => e.type === 'answer');
	if (!submitted) push(h, 'EXCEEDED MAX TURNS: submit', 'submit', last, null, valid);
	h.rewards = h.rewards.map((r) => r ?? final ?? 0);
	return {
		environment: 'ic_sql',
		dataset: options.dataset ?? null,
		task_id: options.taskId ?? 0,
		query: task.question,
		turn_history: h,
		summary: {
			max_reward: final,
			turns_taken: turns,
			turns_max: trace.header.budgets.maxTurns ?? turns
		}
	};
}

function push(
	h: IntercodeReactEpisode['turn_history'],
	thought: string,
	action: string,
	observation: string,
	reward: number | null,
	valid: boolean | null
): void {
	h.thoughts.push(thought);
	h.actions.push(action);
	h.observations.push(observation);
	(h.rewards as (number | null)[]).push(reward);
	h.valid_action.push(valid);
}

// Each turn's model text (a turn's calls joined).
function turnTexts(events: readonly AgentEvent[]): Map<number, string> {
	const turnOfCall = new Map<number, number>();
	const out = new Map<number, string>();
	for (const e of events) {
		if (e.type === 'call') turnOfCall.set(e.call, e.turn);
		if (e.type === 'text') {
			const turn = turnOfCall.get(e.call) ?? 0;
			out.set(turn, (out.get(turn) ?? '') + e.text);
		}
	}
	return out;
}

// eval_react: thought, action = thought_action.strip().split(f"\nAction {turn}: ").
function split(text: string, turn: number): [string, string] {
	const parts = text.trim().split(`\nAction ${turn}: `);
	return parts.length === 2 ? [parts[0], parts[1]] : [text.trim().split('\n')[0], ''];
}

/** eval_react.py's whole log: task index → episode, for traces in order. */
export function toIntercodeReactLog(
	traces: readonly TraceV2[]
): Record<string, IntercodeReactEpisode> {
	return Object.fromEntries(
		traces.map((t, i) => [String(i), toIntercodeReactEpisode(t, { taskId: i })])
	);
}

/**
 * Reads eval_react.py's log as traces (preset intercode-react, provider "intercode-log"), one per
 * episode in key order; the database is named by the caller. Throws a TraceImportError naming the
 * episode's key as the record, the field and why.
 */
export function importIntercodeReactLog(text: string, db: string): TraceV2[] {
	const data = parseJson(text, 1);
	if (typeof data !== 'object' || data === null || Array.isArray(data))
		throw new TraceImportError(1, '', 'expected an object of task index → episode');
	return Object.entries(data).map(([key, value], i) => {
		const parsed = intercodeReactEpisodeSchema.safeParse(value);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw new TraceImportError(i + 1, `${key}.${issue?.path.join('.')}`, issue?.message ?? '');
		}
		return episodeTrace(parsed.data, db);
	});
}

function episodeTrace(ep: IntercodeReactEpisode, db: string): TraceV2 {
	const h = ep.turn_history;
	const events: AgentEvent[] = [];
	h.actions.forEach((raw, i) => {
		const turn = i + 1;
		const text = ` ${h.thoughts[i]}\nAction ${turn}: ${raw}`;
		events.push({ type: 'call', t: turn, call: turn, turn, stop: [`\nObservation ${turn}:`] });
		events.push({ type: 'text', t: turn, call: turn, text });
		events.push({ type: 'call-end', t: turn, call: turn, finishReason: 'stop', cut: false });
		const code = /execute\[(.*)\]/s.exec(raw)?.[1] ?? raw;
		if (raw === 'submit') {
			events.push({ type: 'answer', t: turn, turn, kind: 'sql', code: '', raw });
			return;
		}
		events.push({ type: 'action', t: turn, turn, kind: 'sql', code, raw });
		events.push({
			type: 'observation',
			t: turn,
			turn,
			status: h.valid_action[i] === false ? 'error' : 'ok',
			text: `Observation ${turn}: ${h.observations[i]}\n`,
			truncated: false,
			result: { engine: 'sql', sql: code },
			durationMs: 0
		});
	});
	return intercodeRunTrace(events, db, {
		turns: h.actions.length,
		query: ep.query,
		environment: ep.environment,
		taskId: String(ep.task_id),
		budgets: { maxTurns: ep.summary.turns_max },
		reward: ep.summary.max_reward,
		components: { rewards: h.rewards },
		stop: h.actions.at(-1) === 'submit' ? 'answer' : 'max-turns'
	});
}

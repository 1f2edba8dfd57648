// Reading InterCode's own evaluation logs (princeton-nlp/intercode experiments/eval_react.py and
// eval_n_turn.py, `json.dump(self.log_data, fp, indent=2)`) back as traces that export unchanged.
import { z } from 'zod';
import { pyFloatRepr } from '../eval/python-value.ts';
import { parseReactAction } from '../presets/intercode-react.ts';
import type { AgentEvent } from '../trace/events.ts';
import { TraceImportError, traceToV2, type TraceV2 } from '../trace/trace-v2.ts';
import { MAX_TRACE_FILE_CHARS } from './execlab.ts';
import { parsePyJson, pathKey, PyJsonSyntaxError, type FloatPaths } from './intercode-json.ts';

const reward = z.number().nullable();
const valid = z.boolean().nullable();
const head = {
	environment: z.string(),
	dataset: z.string().nullable(),
	task_id: z.number().int(),
	query: z.string(),
	hardness: z.string().optional()
};

/** eval_react.py's `log_episode`. */
export const intercodeReactEpisodeSchema = z.object({
	...head,
	turn_history: z.object({
		thoughts: z.array(z.string()),
		actions: z.array(z.string()),
		observations: z.array(z.string()),
		rewards: z.array(reward),
		valid_action: z.array(valid)
	}),
	summary: z.object({
		max_reward: reward,
		turns_taken: z.number().int(),
		turns_max: z.number().int().positive()
	})
});

/** eval_n_turn.py's `log_episode`. */
export const intercodeNTurnEpisodeSchema = z.object({
	...head,
	turn_history: z.object({
		actions: z.array(z.string()),
		observations: z.array(z.string()),
		rewards: z.array(reward),
		valid_action: z.array(valid)
	}),
	summary: z.object({
		max_reward: reward,
		max_reward_idx: z.number().int(),
		turns_taken: z.number().int(),
		turns_max: z.number().int().positive()
	})
});

type ReactEpisode = z.infer<typeof intercodeReactEpisodeSchema>;
type NTurnEpisode = z.infer<typeof intercodeNTurnEpisodeSchema>;

/**
 * Reads an InterCode evaluation log (the file `{task_id: episode}`, or one episode) as traces, one
 * per episode in file order: an episode with `thoughts` as intercode-react, else as
 * intercode-try-again. The log does not name the database; `db` does. Validation is strict; a
 * TraceImportError names the episode (1-based record), the field (`key.path`) and why.
 */
export function fromIntercodeLog(json: string, db = ''): TraceV2[] {
	if (json.length > MAX_TRACE_FILE_CHARS)
		throw new TraceImportError(1, '', `file too large (${json.length} characters)`);
	let parsed: { value: unknown; floats: FloatPaths };
	try {
		parsed = parsePyJson(json);
	} catch (e) {
		if (e instanceof PyJsonSyntaxError)
			throw new TraceImportError(1, '', `not JSON (${e.message})`);
		throw e;
	}
	const { value, floats } = parsed;
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new TraceImportError(1, '', 'expected an object of task index → episode');
	const obj = value as Record<string, unknown>;
	if ('logs' in obj && 'meta' in obj)
		throw new TraceImportError(
			1,
			'logs',
			'eval_plan_solve.py logs have no ExecLab preset to replay them'
		);
	const episodes: [string[], unknown][] =
		'turn_history' in obj ? [[[], obj]] : Object.entries(obj).map(([k, v]) => [[k], v]);
	return episodes.map(([path, ep], i) => episodeTrace(ep, path, i + 1, floats, db));
}

function episodeTrace(
	ep: unknown,
	path: string[],
	record: number,
	floats: FloatPaths,
	db: string
): TraceV2 {
	const isReact =
		typeof ep === 'object' &&
		ep !== null &&
		'thoughts' in ((ep as { turn_history?: object }).turn_history ?? {});
	const schema = isReact ? intercodeReactEpisodeSchema : intercodeNTurnEpisodeSchema;
	const result = schema.safeParse(ep);
	const name = (p: readonly PropertyKey[]) => [...path, ...p.map(String)].join('.');
	if (!result.success) {
		const issue = result.error.issues[0];
		throw new TraceImportError(record, name(issue?.path ?? []), issue?.message ?? 'invalid');
	}
	const h = result.data.turn_history;
	for (const field of Object.keys(h) as (keyof typeof h)[])
		if (h[field].length !== h.actions.length)
			throw new TraceImportError(
				record,
				name(['turn_history', field]),
				`has ${h[field].length} items but actions has ${h.actions.length}`
			);
	const repr = (p: (string | number)[], v: number | null) =>
		v === null ? 'None' : floats.has(pathKey([...path, ...p])) ? pyFloatRepr(v) : String(v);
	return isReact
		? reactTrace(result.data as ReactEpisode, repr, db)
		: nTurnTrace(result.data as NTurnEpisode, repr, db);
}

type Repr = (path: (string | number)[], value: number | null) => string;

function reactTrace(ep: ReactEpisode, repr: Repr, db: string): TraceV2 {
	const h = ep.turn_history;
	const events: AgentEvent[] = [];
	let lastCode = '';
	let lastExec: Extract<AgentEvent, { type: 'observation' }> | null = null;
	let stop: 'answer' | 'max-turns' = 'max-turns';
	h.actions.forEach((action, i) => {
		const turn = i + 1;
		const forced = action === 'submit' && h.thoughts[i] === 'EXCEEDED MAX TURNS: submit';
		if (!forced) {
			const text = ` ${h.thoughts[i]}\nAction ${turn}: ${action}`;
			callEvents(events, turn, text, [`\nObservation ${turn}:`], `Thought ${turn}:`);
		}
		const parsed = parseReactAction(action);
		if (parsed && 'submit' in parsed) {
			// A forced submit's observation is the last one untruncated: keep it with that turn.
			if (forced && lastExec) lastExec.result.intercodeObs = h.observations[i];
			events.push({
				type: 'answer',
				t: turn,
				turn,
				kind: 'sql',
				code: lastCode,
				raw: 'submit',
				...(forced ? { forced } : {})
			});
			const value = h.rewards[i];
			events.push({
				type: 'reward',
				t: turn,
				value,
				components: { repr: repr(['turn_history', 'rewards', i], value) },
				final: true
			});
			stop = forced ? 'max-turns' : 'answer';
			return;
		}
		const text = `Observation ${turn}: ${h.observations[i]}\n`;
		if (!parsed) {
			events.push(observation(turn, 'invalid', text, {}));
			return;
		}
		lastCode = parsed.code;
		events.push({ type: 'action', t: turn, turn, kind: 'sql', code: parsed.code, raw: action });
		lastExec = observation(turn, h.valid_action[i] === false ? 'error' : 'ok', text, {
			engine: 'sql',
			sql: parsed.code,
			intercodeObs: h.observations[i]
		});
		events.push(lastExec);
	});
	events.push({ type: 'stop', t: h.actions.length + 1, reason: stop });
	return logTrace(ep, events, db, 'intercode-react', 'completion');
}

function nTurnTrace(ep: NTurnEpisode, repr: Repr, db: string): TraceV2 {
	const h = ep.turn_history;
	const events: AgentEvent[] = [];
	let solved = false;
	h.actions.forEach((action, i) => {
		const turn = i + 1;
		const value = h.rewards[i];
		const invalid =
			h.valid_action[i] === false && h.observations[i].startsWith('No SQL code was found');
		if (invalid) {
			callEvents(events, turn, action, [], undefined);
			events.push(observation(turn, 'invalid', h.observations[i], {}));
			return;
		}
		callEvents(events, turn, `\`\`\`sql\n${action}\n\`\`\``, [], undefined);
		events.push({ type: 'action', t: turn, turn, kind: 'sql', code: action, raw: action });
		const r = repr(['turn_history', 'rewards', i], value);
		const text = `MySQL Database Output: ${h.observations[i]}\nReward: ${r}\nHere is the query again: "${ep.query}"\nTry something different to generate SQL command to get a reward of 1.\nDo not generate any output or reward.\n`;
		events.push(
			observation(turn, h.valid_action[i] ? 'ok' : 'error', text, {
				engine: 'sql',
				sql: action,
				intercodeObs: h.observations[i]
			})
		);
		solved = value === 1;
		events.push({ type: 'reward', t: turn, value, components: { repr: r }, final: solved });
	});
	const end = h.actions.length + 1;
	if (!solved) {
		const best = ep.summary.max_reward;
		const r = repr(['summary', 'max_reward'], best);
		events.push({ type: 'reward', t: end, value: best, components: { repr: r }, final: true });
	}
	events.push({ type: 'stop', t: end, reason: solved ? 'solved' : 'max-turns' });
	return logTrace(ep, events, db, 'intercode-try-again', 'chat');
}

/** A model call of one turn that produced `text`. */
function callEvents(
	events: AgentEvent[],
	turn: number,
	text: string,
	stop: string[],
	prefix?: string
) {
	events.push({ type: 'call', t: turn, call: turn, turn, stop, ...(prefix ? { prefix } : {}) });
	events.push({ type: 'text', t: turn, call: turn, text });
	events.push({ type: 'call-end', t: turn, call: turn, finishReason: 'stop', cut: false });
}

function observation(
	turn: number,
	status: 'ok' | 'error' | 'invalid',
	text: string,
	result: Record<string, unknown>
): Extract<AgentEvent, { type: 'observation' }> {
	return {
		type: 'observation',
		t: turn,
		turn,
		status,
		text,
		truncated: false,
		result,
		durationMs: 0
	};
}

/** The v2 trace of an imported episode (provider "intercode-log", the env's name as its model). */
function logTrace(
	ep: ReactEpisode | NTurnEpisode,
	events: AgentEvent[],
	db: string,
	presetId: string,
	mode: 'chat' | 'completion'
): TraceV2 {
	const header = {
		presetId,
		mode,
		template: { system: '', user: '' },
		prompt: { system: '', user: ep.query, completion: ep.query },
		provider: { kind: 'intercode-log', model: ep.environment },
		sampling: {},
		task: { id: String(ep.task_id), question: ep.query, db },
		budgets: { maxTurns: ep.summary.turns_max },
		engines: {},
		startedAt: new Date(0).toISOString()
	};
	const intercode = {
		task_id: ep.task_id,
		dataset: ep.dataset,
		...(ep.hardness === undefined ? {} : { hardness: ep.hardness })
	};
	return traceToV2(
		{ format: 'execlab-trace', version: 1, header, events },
		{ parameters: { intercode } }
	);
}

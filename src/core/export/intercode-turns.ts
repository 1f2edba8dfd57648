import type { SqlValue } from '../../../workers/protocol.ts';
import { intercodeObservationStr } from '../rewards/intercode-sql.ts';
import { typedRows } from '../rewards/typed-rows.ts';
import type { AgentEvent } from '../trace/events.ts';

/** One turn of an InterCode trace, as the evaluation scripts see it. */
export interface IntercodeTurn {
	turn: number;
	/** `exec`: code ran; `invalid`: no code found; `submit`: the answer (forced at the turn limit). */
	kind: 'exec' | 'invalid' | 'submit';
	forced?: boolean;
	/** The model's text for the turn (its calls joined). */
	text: string;
	/** The code run (exec). */
	code: string;
	/** The observation text as the model saw it. */
	obsText: string;
	/** Python's str() of the env's observation, untruncated (exec); null when the trace lost it. */
	full: string | null;
	/** The env's `action_executed`. */
	ok: boolean;
	/** The reward the harness got for this turn, with Python's repr when the preset recorded it. */
	reward?: { value: number | null; repr?: unknown };
}

/** The turns of an InterCode trace, in order, with each turn's reward attached. */
export function intercodeTurns(events: readonly AgentEvent[]): IntercodeTurn[] {
	const texts = turnTexts(events);
	const codes = new Map<number, string>();
	const out: IntercodeTurn[] = [];
	let awaiting: IntercodeTurn | null = null;
	const base = (turn: number) => ({
		turn,
		text: texts.get(turn) ?? '',
		code: codes.get(turn) ?? ''
	});
	for (const e of events) {
		if (e.type === 'action') codes.set(e.turn, e.code);
		else if (e.type === 'observation') {
			const invalid = e.status === 'invalid';
			const turn: IntercodeTurn = {
				...base(e.turn),
				kind: invalid ? 'invalid' : 'exec',
				obsText: e.text,
				full: invalid ? null : fullObservation(e.result),
				ok: e.status === 'ok' || e.status === 'noop'
			};
			out.push(turn);
			awaiting = invalid ? null : turn;
		} else if (e.type === 'answer') {
			const turn: IntercodeTurn = {
				...base(e.turn),
				kind: 'submit',
				forced: e.forced === true,
				obsText: '',
				full: null,
				ok: true
			};
			out.push(turn);
			awaiting = turn;
		} else if (e.type === 'reward' && awaiting) {
			awaiting.reward = { value: e.value, repr: e.components.repr };
			awaiting = null;
		} else if (e.type === 'call') awaiting = null;
	}
	return out;
}

/** Python's str() of the observation: recorded by the preset, else rebuilt from complete rows. */
function fullObservation(result: Record<string, unknown>): string | null {
	if (typeof result.intercodeObs === 'string') return result.intercodeObs;
	const r = result as {
		ok?: boolean;
		columns?: unknown[];
		rows?: SqlValue[][];
		rowCount?: number;
		error?: { message?: string } | null;
		noop?: boolean;
	};
	if (r.noop) return 'None';
	if (r.ok === false) return `Error executing query: ${r.error?.message ?? ''}`;
	if (!r.columns?.length) return 'None';
	const rows = r.rows ?? [];
	if (r.rowCount !== undefined && r.rowCount > rows.length) return null;
	return intercodeObservationStr(typedRows(rows));
}

/** Each turn's model text (a turn's calls joined). */
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

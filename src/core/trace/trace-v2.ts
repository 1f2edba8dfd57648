import { z } from 'zod';
import {
	agentEventSchema,
	stopReasonSchema,
	traceHeaderSchema,
	type AgentEvent
} from './events.ts';
import { traceSchema, type Trace } from './trace.ts';

// Schema v2 keeps v1's header and events unchanged and adds what v1 only implied: the environment
// (engine versions, each database's name and content hash), the preset's parameters and how the run
// ended, so a reader need not replay the events to know them.

/** One database the run could read: its name and the SHA-256 of its bytes (null when unknown). */
export const traceDatabaseSchema = z.object({ name: z.string(), sha256: z.string().nullable() });

/** The execution environment of a run. */
export const traceEnvironmentSchema = z.object({
	/** Engine name → version, e.g. {"pyodide": "0.29.0", "sqlite": "3.49.1"}. */
	engines: z.record(z.string(), z.string()),
	databases: z.array(traceDatabaseSchema)
});

/** How a run ended: the stop reason ('interrupted' when no stop event was recorded) and the final reward. */
export const traceOutcomeSchema = z.object({
	reason: z.enum([...stopReasonSchema.options, 'interrupted']),
	reward: z.number().nullable(),
	components: z.record(z.string(), z.unknown()),
	/** Model calls made. */
	turns: z.number().int().nonnegative(),
	/** Milliseconds from start to the last event. */
	durationMs: z.number().nonnegative()
});

/** An ExecLab trace, schema version 2. */
export const traceV2Schema = z.object({
	format: z.literal('execlab-trace'),
	version: z.literal(2),
	header: traceHeaderSchema,
	environment: traceEnvironmentSchema,
	/** The preset's parameters beyond the header's budgets and sampling (empty when none). */
	parameters: z.record(z.string(), z.unknown()),
	outcome: traceOutcomeSchema,
	events: z.array(agentEventSchema)
});
/** An ExecLab trace, schema version 2. */
export type TraceV2 = z.infer<typeof traceV2Schema>;
/** How a run ended. */
export type TraceOutcome = z.infer<typeof traceOutcomeSchema>;

/** The outcome a v1 event list implies: its stop event, last final reward, calls made and duration. */
export function outcomeOf(events: readonly AgentEvent[]): TraceOutcome {
	let reason: TraceOutcome['reason'] = 'interrupted';
	let reward: number | null = null;
	let components: Record<string, unknown> = {};
	let turns = 0;
	let durationMs = 0;
	for (const e of events) {
		durationMs = Math.max(durationMs, e.t);
		if (e.type === 'stop') reason = e.reason;
		else if (e.type === 'call') turns++;
		else if (e.type === 'reward' && e.final) {
			reward = e.value;
			components = e.components;
		}
	}
	return { reason, reward, components, turns, durationMs };
}

/** Upgrades a v1 trace to v2 (nothing of v1 is changed; the new fields are derived from it). */
export function traceToV2(
	trace: Trace,
	extra: {
		databases?: { name: string; sha256: string | null }[];
		parameters?: Record<string, unknown>;
	} = {}
): TraceV2 {
	const task = trace.header.task;
	const databases =
		extra.databases ??
		('db' in task ? [{ name: task.db, sha256: trace.header.dbHash ?? null }] : []);
	return {
		format: 'execlab-trace',
		version: 2,
		header: trace.header,
		environment: { engines: { ...trace.header.engines }, databases },
		parameters: extra.parameters ?? {},
		outcome: outcomeOf(trace.events),
		events: trace.events
	};
}

/** The v1 view of a v2 trace (header and events), which the loop replays. */
export function traceToV1(trace: TraceV2): Trace {
	return { format: 'execlab-trace', version: 1, header: trace.header, events: trace.events };
}

/** Why a trace (or one record of a trace file) was refused: which record, which field, why. */
export class TraceImportError extends Error {
	constructor(
		readonly record: number,
		readonly field: string,
		readonly why: string
	) {
		super(`record ${record}: ${field || '(root)'}: ${why}`);
		this.name = 'TraceImportError';
	}
}

/** Validates one parsed trace of either version and returns it as v2; throws TraceImportError. */
export function readTraceRecord(data: unknown, record = 1): TraceV2 {
	if (typeof data !== 'object' || data === null || Array.isArray(data))
		throw new TraceImportError(record, '', 'expected a JSON object');
	const { format, version } = data as { format?: unknown; version?: unknown };
	if (format !== 'execlab-trace')
		throw new TraceImportError(record, 'format', `expected "execlab-trace", got ${show(format)}`);
	if (version !== 1 && version !== 2)
		throw new TraceImportError(record, 'version', `expected 1 or 2, got ${show(version)}`);
	const parsed = (version === 1 ? traceSchema : traceV2Schema).safeParse(data);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new TraceImportError(record, issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
	}
	return parsed.data.version === 1 ? traceToV2(parsed.data) : parsed.data;
}

/** A value shown briefly in an error message. */
function show(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

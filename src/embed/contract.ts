import { z } from 'zod';

// The postMessage contract v1 between a host page and ExecLab in an iframe (README: "Embedding").
// Requests are validated strictly so a misspelt field is reported instead of silently ignored.

/** The contract version carried by every message as `execlab`. */
export const contractVersion = 1;

/** Reply and notification types ExecLab itself posts; never treated as requests (no echo loops). */
export const outgoingTypes: ReadonlySet<string> = new Set(['ready', 'result', 'event']);

/** A request id chosen by the host and repeated in every reply to it. */
export const requestIdSchema = z.union([z.string().min(1).max(200), z.number().finite()], {
	error: 'expected a non-empty string (at most 200 characters) or a finite number'
});

/** A request id as the host sent it, or null when it sent none (or an unusable one). */
export type RequestId = z.infer<typeof requestIdSchema> | null;

/** The fields every request carries: `execlab: 1`, its `type` and an `id`. */
export const envelopeShape = {
	execlab: z.literal(contractVersion),
	id: requestIdSchema
};

const code = z.string().max(10_000_000);
const timeoutMs = z.number().int().positive().max(3_600_000);
const dbName = z.string().min(1).max(200);

/** `run` with Python: the code runs in the embed session's persistent namespace. */
export const runPythonSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('run'),
	language: z.literal('python'),
	code,
	timeoutMs: timeoutMs.optional()
});

/** `run` with SQL: the statements run against `db` (default: the app's current database). */
export const runSqlSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('run'),
	language: z.literal('sql'),
	code,
	db: dbName.optional(),
	timeoutMs: timeoutMs.optional(),
	maxRows: z.number().int().nonnegative().max(10_000_000).optional()
});

/** `run`: Python or SQL, told apart by `language`. */
export const runSchema = z.discriminatedUnion('language', [runPythonSchema, runSqlSchema]);

/** `load-db`: opens (or replaces) a named database from the bytes of a .sqlite file. */
export const loadDbSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('load-db'),
	name: dbName,
	bytes: z.union([z.instanceof(ArrayBuffer), z.instanceof(Uint8Array)], {
		error: 'expected an ArrayBuffer (or Uint8Array) holding a .sqlite file'
	})
});

/** `schema`: tables, views, columns, keys and row counts of an open database. */
export const schemaRequestSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('schema'),
	db: dbName
});

/** `reset`: Python forgets the embed session's variables; SQL closes the databases the host loaded. */
export const resetSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('reset'),
	language: z.enum(['python', 'sql'])
});

/** `trace`: Python run under the line tracer in a fresh namespace; the steps come back with it. */
export const traceSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('trace'),
	code,
	maxSteps: z.number().int().positive().max(1_000_000).optional(),
	timeoutMs: timeoutMs.optional()
});

/** A validated `run` request. */
export type RunRequest = z.infer<typeof runSchema>;
/** A validated `load-db` request. */
export type LoadDbRequest = z.infer<typeof loadDbSchema>;
/** A validated `schema` request. */
export type SchemaRequest = z.infer<typeof schemaRequestSchema>;
/** A validated `trace` request. */
export type TraceRequest = z.infer<typeof traceSchema>;
/** A validated `reset` request. */
export type ResetRequest = z.infer<typeof resetSchema>;

/** An error in a reply: a user's exception or SQL error, or a protocol/runtime failure. */
export interface EmbedError {
	/** E.g. "ZeroDivisionError", "SqliteError", "InvalidMessage", "UnknownMessageType". */
	type: string;
	message: string;
	/** 1-based line of the user's code, when known. */
	line?: number;
	/** Python traceback limited to the user's frames, when there is one. */
	traceback?: string;
}

/** The final reply to a request; handlers add their own fields next to `ok`. */
export interface ResultMessage {
	execlab: typeof contractVersion;
	type: 'result';
	id: RequestId;
	ok: boolean;
	error?: EmbedError;
	[field: string]: unknown;
}

/** A progress message a streaming handler posts before its final result. */
export interface EventMessage {
	execlab: typeof contractVersion;
	type: 'event';
	id: RequestId;
	event: unknown;
}

/** What ExecLab offers, announced in `ready`. */
export interface Capabilities {
	/** Contract version (same as `execlab`). */
	contract: typeof contractVersion;
	languages: ('python' | 'sql')[];
	/** Request types this build answers. */
	messages: string[];
	/** Whether a running Python program can be interrupted (KeyboardInterrupt) rather than hard-stopped. */
	interrupts: boolean;
	/**
	 * Whether this page works offline: a service worker controls it. False in a frame on another
	 * site than its page when the browser denies that frame service workers (README: "Offline embeds").
	 */
	offline: boolean;
}

/** Posted once to the parent when the app has started listening. */
export interface ReadyMessage {
	execlab: typeof contractVersion;
	type: 'ready';
	/** Never set; present so `message.id` type-checks on any {@link OutgoingMessage}. */
	id?: undefined;
	version: string;
	isolated: boolean;
	capabilities: Capabilities;
}

/** Any message ExecLab posts. */
export type OutgoingMessage = ReadyMessage | ResultMessage | EventMessage;

/** Turns zod issues into one readable line such as `code: expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.map((issue) => {
			const path = issue.path.map(String).join('.');
			return path ? `${path}: ${issue.message}` : issue.message;
		})
		.join('; ');
}

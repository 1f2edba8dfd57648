import { z } from 'zod';
import { codearcSpecSchema, mokavSpecSchema } from '../difftest/task.ts';

// The loop's typed events. The event list IS the trace (issue 4); each field below is one of the things
// a faithful record must capture to replay a run: the prompt, every model call and its raw output,
// every parsed action, every execution with its formatted observation, the reward and why it ended.

/** Kinds of code an action or answer can carry. */
export const actionKindSchema = z.enum(['sql', 'python']);
/** Kinds of code an action or answer can carry. */
export type ActionKind = z.infer<typeof actionKindSchema>;

/** How an execution ended, as shown to the model. */
export const observationStatusSchema = z.enum([
	'ok',
	'error',
	'interrupted',
	'hard-stopped',
	'rebuilt',
	'timeout',
	'invalid',
	'noop'
]);
/** How an execution ended, as shown to the model. */
export type ObservationStatus = z.infer<typeof observationStatusSchema>;

/** Sampling parameters sent to the model. */
export const samplingSchema = z.object({
	temperature: z.number().optional(),
	maxTokens: z.number().optional()
});

/** The rendered prompt, exactly as sent. */
export const renderedPromptSchema = z.object({
	system: z.string(),
	user: z.string(),
	/** The raw-completion prompt (system and user joined), used in completion mode. */
	completion: z.string()
});
/** The rendered prompt, exactly as sent. */
export type RenderedPrompt = z.infer<typeof renderedPromptSchema>;

/** An SQL task: a question over a named database, optionally with gold SQL. */
export const sqlTaskSchema = z.object({
	id: z.string().optional(),
	question: z.string(),
	db: z.string(),
	evidence: z.string().optional(),
	gold: z.string().optional()
});
/** A Python task: a description and assert tests, optionally with a reference solution. */
export const pythonTaskSchema = z.object({
	id: z.string().optional(),
	description: z.string(),
	tests: z.array(z.string()),
	setup: z.string().optional(),
	gold: z.string().optional(),
	entryPoint: z.string().optional(),
	/** A Mokav differential-testing episode (issue 12 §4); its tests may be empty. */
	mokav: mokavSpecSchema.optional(),
	/** A CodeARC episode (issue 12 §4); its tests may be empty. */
	codearc: codearcSpecSchema.optional()
});
/** A task the agent works on. */
export const agentTaskSchema = z.union([sqlTaskSchema, pythonTaskSchema]);
/** An SQL task. */
export type SqlTask = z.infer<typeof sqlTaskSchema>;
/** A Python task. */
export type PythonTask = z.infer<typeof pythonTaskSchema>;
/** A task the agent works on. */
export type AgentTask = SqlTask | PythonTask;

/** Limits of one run; missing ones are unlimited except turns (the preset's default). */
export const budgetsSchema = z.object({
	maxTurns: z.number().int().positive().optional(),
	maxTokens: z.number().int().positive().optional(),
	maxMs: z.number().positive().optional(),
	/** Per-execution time limit handed to the executors. */
	execTimeoutMs: z.number().positive().optional()
});
/** Limits of one run. */
export type Budgets = z.infer<typeof budgetsSchema>;

/** Everything about a run that is fixed before the first model call. */
export const traceHeaderSchema = z.object({
	presetId: z.string(),
	mode: z.enum(['chat', 'completion']),
	/** The editable template as it was when the run started. */
	template: z.object({ system: z.string(), user: z.string() }),
	prompt: renderedPromptSchema,
	provider: z.object({ kind: z.string(), model: z.string() }),
	sampling: samplingSchema,
	task: agentTaskSchema,
	budgets: budgetsSchema,
	/** Engine name → version, e.g. {"pyodide": "0.29", "sqlite": "3.49"}. */
	engines: z.record(z.string(), z.string()),
	dbHash: z.string().optional(),
	startedAt: z.string()
});
/** Everything about a run that is fixed before the first model call. */
export type TraceHeader = z.infer<typeof traceHeaderSchema>;

/** A short, JSON-safe summary of what an engine returned. */
export const resultSummarySchema = z.record(z.string(), z.unknown());

const at = { t: z.number() };

/** Why a run stopped, as its stop event says. */
export const stopReasonSchema = z.enum([
	'answer',
	'solved',
	'max-turns',
	'tokens',
	'time',
	'user',
	'error',
	'model-end'
]);

/** Every event the loop emits; `t` is milliseconds since the run started. */
export const agentEventSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('start'), ...at, header: traceHeaderSchema }),
	z.object({
		type: z.literal('call'),
		...at,
		call: z.number().int(),
		turn: z.number().int(),
		stop: z.array(z.string()),
		/** Completion mode: text appended to the transcript before the model continues. */
		prefix: z.string().optional(),
		/** Chat mode: how many messages were sent (the transcript is rebuilt from the events). */
		messages: z.number().int().optional()
	}),
	z.object({ type: z.literal('text'), ...at, call: z.number().int(), text: z.string() }),
	z.object({
		type: z.literal('call-end'),
		...at,
		call: z.number().int(),
		finishReason: z.string(),
		/** True when the loop ended the request itself at the end of an action. */
		cut: z.boolean(),
		usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }).optional()
	}),
	z.object({
		type: z.literal('action'),
		...at,
		turn: z.number().int(),
		kind: actionKindSchema,
		code: z.string(),
		raw: z.string(),
		toolCallId: z.string().optional()
	}),
	z.object({
		type: z.literal('observation'),
		...at,
		turn: z.number().int(),
		status: observationStatusSchema,
		/** Exactly the text inserted into the model's context. */
		text: z.string(),
		truncated: z.boolean(),
		result: resultSummarySchema,
		durationMs: z.number()
	}),
	z.object({
		type: z.literal('answer'),
		...at,
		turn: z.number().int(),
		kind: actionKindSchema,
		code: z.string(),
		raw: z.string(),
		/** Text the model produced after its answer (flagged, never executed). */
		trailing: z.string().optional(),
		forced: z.boolean().optional(),
		/** The `submit` tool call that carried it (tools preset). */
		toolCallId: z.string().optional()
	}),
	z.object({
		type: z.literal('reward'),
		...at,
		value: z.number().nullable(),
		components: z.record(z.string(), z.unknown()),
		final: z.boolean()
	}),
	z.object({
		type: z.literal('error'),
		...at,
		code: z.string(),
		message: z.string(),
		fatal: z.boolean(),
		/** The doctor's fixes of a provider failure (absent when it gave none, and in older traces). */
		fixes: z.array(z.string()).optional()
	}),
	z.object({
		type: z.literal('budget'),
		...at,
		turnsLeft: z.number(),
		tokensLeft: z.number().nullable(),
		msLeft: z.number().nullable()
	}),
	z.object({
		type: z.literal('stop'),
		...at,
		reason: stopReasonSchema
	})
]);

/** Every event the loop emits. */
export type AgentEvent = z.infer<typeof agentEventSchema>;
/** Why a run stopped. */
export type StopReason = Extract<AgentEvent, { type: 'stop' }>['reason'];
/** An event of a given type. */
export type EventOf<T extends AgentEvent['type']> = Extract<AgentEvent, { type: T }>;

import { z } from 'zod';
import { agentTaskSchema, budgetsSchema } from '../core/trace/events.ts';
import { envelopeShape } from './contract.ts';

// `agent-run` and `stop`, the agent extension of contract v1 (issue 4; README: "Agents").
// Kept free of the loop and providers, so the page's first chunk only carries these schemas.

/** The preset ids the contract accepts. */
export const agentPresetIds = [
	'skyrl-sql',
	'python-feedback',
	'intercode-react',
	'intercode-try-again',
	'fenced',
	'tools',
	'mokav',
	'codearc'
] as const;

const model = z.string().min(1).max(300);
const httpUrl = z
	.string()
	.max(2000)
	.regex(/^https?:\/\//i, 'expected an http(s) URL such as http://localhost:11434/v1');
const toolCallSchema = z.strictObject({
	id: z.string(),
	name: z.string(),
	arguments: z.string()
});

/** One recorded model turn for `kind: 'replay'`: its text (whole or as chunks) and tool calls. */
export const replayTurnSchema = z.strictObject({
	text: z.string().optional(),
	chunks: z.array(z.string()).optional(),
	toolCalls: z.array(toolCallSchema).optional(),
	finishReason: z.string().optional()
});

/** The `provider` of an `agent-run`. Keys are used for the model requests only, never stored. */
export const agentProviderSchema = z.discriminatedUnion('kind', [
	z.strictObject({
		kind: z.literal('openai'),
		baseUrl: httpUrl.optional(),
		apiKey: z.string().max(1000).optional(),
		model
	}),
	z.strictObject({
		kind: z.literal('anthropic'),
		baseUrl: httpUrl.optional(),
		apiKey: z.string().max(1000).optional(),
		model
	}),
	z.strictObject({ kind: z.literal('webllm'), model }),
	z
		.strictObject({
			kind: z.literal('replay'),
			model: model.optional(),
			/** The recorded model output, one entry per model call. */
			turns: z.array(replayTurnSchema).max(10_000).optional(),
			/** Or a whole ExecLab trace (`format: 'execlab-trace'`): its model calls are replayed. */
			trace: z.unknown().optional(),
			/** Pace the text (characters per second); default as fast as possible. */
			charsPerSecond: z.number().positive().max(1_000_000).optional()
		})
		.refine((p) => (p.turns === undefined) !== (p.trace === undefined), {
			message: 'a replay provider needs exactly one of turns or trace'
		})
]);

/** `agent-run`: runs an agent on a task; events stream, a result with the trace ends it. */
export const agentRunSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('agent-run'),
	provider: agentProviderSchema,
	preset: z.enum(agentPresetIds),
	mode: z.enum(['chat', 'completion']).optional(),
	task: agentTaskSchema,
	budgets: budgetsSchema.strict().optional(),
	/** Extension: the prompt template to use instead of the preset's default. */
	template: z.strictObject({ system: z.string(), user: z.string() }).optional(),
	/** Extension: sampling parameters. */
	sampling: z
		.strictObject({
			temperature: z.number().min(0).max(2).optional(),
			maxTokens: z.number().int().positive().optional()
		})
		.optional()
});

/** `stop`: stops the running request (an `agent-run`) that has the same id. */
export const stopSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('stop')
});

/** A validated `agent-run` request. */
export type AgentRunRequest = z.infer<typeof agentRunSchema>;
/** The provider settings of an `agent-run`. */
export type AgentProviderRequest = z.infer<typeof agentProviderSchema>;

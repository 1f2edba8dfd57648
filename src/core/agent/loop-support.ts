import { ProviderError } from '../providers/errors.ts';
import type { Preset, PromptTemplate } from '../presets/types.ts';
import type { Provider } from '../providers/types.ts';
import type { AgentTask, Budgets, RenderedPrompt, TraceHeader } from '../trace/events.ts';

/** Sampling parameters of a run. */
export interface Sampling {
	temperature?: number;
	maxTokens?: number;
}

/** Builds the header of a run's start event. */
export function buildHeader(args: {
	preset: Preset;
	mode: 'chat' | 'completion';
	template: PromptTemplate;
	prompt: RenderedPrompt;
	provider: Provider;
	sampling: Sampling;
	task: AgentTask;
	budgets: Budgets;
	engines?: Record<string, string>;
	dbHash?: string;
}): TraceHeader {
	return {
		presetId: args.preset.id,
		mode: args.mode,
		template: { system: args.template.system, user: args.template.user },
		prompt: args.prompt,
		provider: { kind: args.provider.kind, model: args.provider.model },
		sampling: args.sampling,
		task: args.task,
		budgets: args.budgets,
		engines: args.engines ?? {},
		...(args.dbHash ? { dbHash: args.dbHash } : {}),
		startedAt: new Date().toISOString()
	};
}

/** Rough token count of text when the server reports no usage (4 characters a token). */
export const estimateTokens = (chars: number) => Math.ceil(chars / 4);

/** The message of any thrown value. */
export function messageOf(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

/** The error code of a thrown value: a ProviderError's kind, else a fallback. */
export function codeOf(e: unknown, fallback: string): string {
	const kind = (e as { kind?: unknown } | null)?.kind;
	return typeof kind === 'string' ? kind : fallback;
}

/** The fixes a ProviderError carries, as the error event's optional field (none: no field). */
export function fixesOf(e: unknown): { fixes?: string[] } {
	return e instanceof ProviderError && e.fixes.length > 0 ? { fixes: e.fixes } : {};
}

import type { z } from 'zod';
import type { EmbedError, RequestId } from './contract.ts';

/** What a handler gets besides its validated request. */
export interface EmbedContext {
	/** The request id (repeated in every message about this request). */
	id: RequestId;
	/** The requesting origin; replies and events go only there. */
	origin: string;
	/** Aborted when the page goes away or another request cancels this one (see `cancel`). */
	signal: AbortSignal;
	/** Posts `{execlab: 1, type: 'event', id, event}` to the requester, before the final result. */
	emit(event: unknown): void;
	/** Aborts the other in-flight requests from the same origin with this id; returns how many. */
	cancel(id: RequestId): number;
}

/** The body of a final result: `ok` and the handler's fields (`execlab`, `type`, `id` are added). */
export type ResultBody = { ok: boolean; error?: EmbedError } & Record<string, unknown>;

/** One request type: its strict zod schema (including `execlab`, `type`, `id`) and its handler. */
export interface EmbedHandler<S extends z.ZodType = z.ZodType> {
	schema: S;
	/**
	 * Answers a validated request; may `emit` events first. Returning null sends no result of its
	 * own (for a request whose effect is reported by another request's result, such as a stop).
	 * A thrown error becomes `{ok: false, error: {type: error.name, message}}`.
	 */
	handle(
		request: z.infer<S>,
		context: EmbedContext
	): Promise<ResultBody | null> | ResultBody | null;
}

/** Request types and their handlers: the core ones (core-handlers.ts) and the agent ones (agent-handlers.ts). */
export interface EmbedRegistry {
	/** Adds (or replaces) the handler of a request type. */
	register<S extends z.ZodType>(type: string, handler: EmbedHandler<S>): void;
	get(type: string): EmbedHandler | undefined;
	/** Registered request types, in registration order (announced in `ready`). */
	types(): string[];
}

/** Creates an empty registry. */
export function createEmbedRegistry(): EmbedRegistry {
	const handlers = new Map<string, EmbedHandler>();
	return {
		register(type, handler) {
			if (type === 'ready' || type === 'result' || type === 'event') {
				throw new Error(`"${type}" is an outgoing message type and cannot be a request`);
			}
			handlers.set(type, handler as unknown as EmbedHandler);
		},
		get: (type) => handlers.get(type),
		types: () => [...handlers.keys()]
	};
}

/**
 * The page's registry. The core handlers (run, load-db, schema, reset) are added by `startEmbed`;
 * start-page-embed.ts registers the agent ones (agent-run, stop) before it, so `ready` lists them.
 */
export const embedRegistry: EmbedRegistry = createEmbedRegistry();

import {
	contractVersion,
	describeIssues,
	outgoingTypes,
	requestIdSchema,
	type EmbedError,
	type OutgoingMessage,
	type RequestId
} from './contract.ts';
import type { OriginPolicy } from './origin-policy.ts';
import type { EmbedContext, EmbedRegistry, ResultBody } from './registry.ts';

/** Sends one message to the requester (in the page: `source.postMessage(message, origin)`). */
export type Reply = (message: OutgoingMessage) => void;

/** Dependencies of {@link createEmbedDispatcher}. */
export interface DispatcherOptions {
	registry: EmbedRegistry;
	policy: OriginPolicy;
	/** Where ignored messages are noted; default console.debug. */
	debug?: (message: string, detail?: unknown) => void;
}

/** Validates and answers messages; framework-free so Node tests drive it without a window. */
export interface EmbedDispatcher {
	/** Handles one incoming message; resolves after its final result (if any) was sent. Never rejects. */
	handle(data: unknown, origin: string, reply: Reply): Promise<void>;
	/** Aborts every in-flight request (the page is going away). */
	abortAll(): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/** The id to repeat in a reply: the message's own when usable, else null. */
function pickId(data: unknown): RequestId {
	if (!isRecord(data)) return null;
	const parsed = requestIdSchema.safeParse(data.id);
	return parsed.success ? parsed.data : null;
}

/** An error as reply data; Comlink and workers may hand over plain objects rather than Errors. */
export function errorOf(e: unknown): EmbedError {
	if (isRecord(e) || e instanceof Error) {
		const r = e as { name?: unknown; message?: unknown };
		const type = typeof r.name === 'string' && r.name ? r.name : 'Error';
		return { type, message: typeof r.message === 'string' ? r.message : String(e) };
	}
	return { type: 'Error', message: String(e) };
}

/** Creates the dispatcher: origin check, envelope and schema validation, handler call, reply. */
export function createEmbedDispatcher(options: DispatcherOptions): EmbedDispatcher {
	const { registry, policy } = options;
	const debug =
		options.debug ?? ((m: string, d?: unknown) => console.debug(`[execlab embed] ${m}`, d ?? ''));
	// In-flight requests by origin and id, so one request (e.g. a stop) can cancel another.
	const inflight = new Map<string, Set<AbortController>>();
	const keyOf = (origin: string, id: RequestId) => `${origin} ${typeof id} ${String(id)}`;

	const safeReply = (reply: Reply, message: OutgoingMessage): void => {
		try {
			reply(message);
		} catch (e) {
			// E.g. a DataCloneError: still answer, with the reason, so the host never waits forever.
			if (message.type !== 'result') return;
			try {
				reply({
					execlab: contractVersion,
					type: 'result',
					id: message.id,
					ok: false,
					error: {
						type: 'ReplyError',
						message: `The reply could not be sent: ${errorOf(e).message}`
					}
				});
			} catch {
				debug('a reply could not be sent', e);
			}
		}
	};

	return {
		async handle(data, origin, reply) {
			if (!policy.allows(origin)) {
				debug(`ignored a message from ${origin}: not an allowed origin`, data);
				return;
			}
			if (
				isRecord(data) &&
				data.execlab === contractVersion &&
				outgoingTypes.has(data.type as string)
			) {
				// Our own kind of message (e.g. another ExecLab's reply): answering it could loop forever.
				debug(`ignored an incoming "${String(data.type)}" message`, data);
				return;
			}
			const id = pickId(data);
			const fail = (type: string, message: string) =>
				safeReply(reply, {
					execlab: contractVersion,
					type: 'result',
					id,
					ok: false,
					error: { type, message }
				});
			if (!isRecord(data)) {
				return fail('InvalidMessage', 'A message must be an object like {execlab: 1, type, id}.');
			}
			if (data.execlab !== contractVersion) {
				return typeof data.execlab === 'number'
					? fail(
							'UnsupportedVersion',
							`execlab: ${data.execlab} is not supported; this build speaks 1.`
						)
					: fail('InvalidMessage', 'execlab: expected 1 (the contract version).');
			}
			if (typeof data.type !== 'string') {
				return fail('InvalidMessage', 'type: expected a string such as "run".');
			}
			const handler = registry.get(data.type);
			if (!handler) {
				return fail(
					'UnknownMessageType',
					`Unknown type "${data.type}"; this build answers: ${registry.types().join(', ')}.`
				);
			}
			const parsed = handler.schema.safeParse(data);
			if (!parsed.success) {
				return fail('InvalidMessage', `${data.type}: ${describeIssues(parsed.error)}`);
			}

			const controller = new AbortController();
			const key = keyOf(origin, id);
			const peers = inflight.get(key) ?? new Set();
			peers.add(controller);
			inflight.set(key, peers);
			let done = false;
			const context: EmbedContext = {
				id,
				origin,
				signal: controller.signal,
				emit(event) {
					if (done) return;
					safeReply(reply, { execlab: contractVersion, type: 'event', id, event });
				},
				cancel(target) {
					let count = 0;
					for (const other of inflight.get(keyOf(origin, target)) ?? []) {
						if (other === controller || other.signal.aborted) continue;
						other.abort(new DOMException('Cancelled by the host', 'AbortError'));
						count++;
					}
					return count;
				}
			};
			let body: ResultBody | null;
			try {
				body = await handler.handle(parsed.data, context);
			} catch (e) {
				body = { ok: false, error: errorOf(e) };
			} finally {
				done = true;
				peers.delete(controller);
				if (peers.size === 0) inflight.delete(key);
			}
			if (body === null) return;
			safeReply(reply, { ...body, execlab: contractVersion, type: 'result', id });
		},
		abortAll() {
			for (const peers of inflight.values()) for (const c of peers) c.abort();
		}
	};
}

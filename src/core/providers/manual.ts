import { abortedError } from './errors.ts';
import type { GenerateRequest, Provider, StreamChunk, ToolCall } from './types.ts';

/** What the person typed as the model's turn. */
export interface ManualTurn {
	text?: string;
	toolCalls?: ToolCall[];
}

interface Waiter {
	request: GenerateRequest;
	resolve(turn: ManualTurn): void;
}

/**
 * The person is the model: each `generate` waits until the UI calls {@link ManualProvider.submit}
 * with the turn's text, then streams it like a model would. Turns submitted early are queued.
 * The UI learns a turn is wanted through {@link ManualProvider.onPending}; Stop aborts the wait.
 */
export class ManualProvider implements Provider {
	readonly kind = 'manual';
	readonly model: string;
	private readonly waiters: Waiter[] = [];
	private readonly queued: ManualTurn[] = [];
	private readonly listeners = new Set<(pending: GenerateRequest | null) => void>();

	constructor(model = 'manual') {
		this.model = model;
	}

	/** The request waiting for the person's turn, if any. */
	get pending(): GenerateRequest | null {
		return this.waiters[0]?.request ?? null;
	}

	/** Calls `listener` whenever the pending request changes; returns an unsubscribe function. */
	onPending(listener: (pending: GenerateRequest | null) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Gives the model's turn: answers the waiting request, or the next one to come. */
	submit(turn: string | ManualTurn): void {
		const value = typeof turn === 'string' ? { text: turn } : turn;
		const waiter = this.waiters.shift();
		if (waiter) {
			waiter.resolve(value);
			this.notify();
		} else this.queued.push(value);
	}

	/** Waits for the person's turn, then streams it. */
	async *generate(request: GenerateRequest): AsyncIterable<StreamChunk> {
		const turn = await this.take(request);
		if (turn.text) yield { type: 'text', text: turn.text };
		for (const call of turn.toolCalls ?? []) yield { type: 'tool-call', call };
		yield { type: 'done', finishReason: turn.toolCalls?.length ? 'tool_calls' : 'stop' };
	}

	private take(request: GenerateRequest): Promise<ManualTurn> {
		const signal = request.signal;
		if (signal?.aborted) return Promise.reject(abortedError(signal.reason));
		const early = this.queued.shift();
		if (early) return Promise.resolve(early);
		return new Promise<ManualTurn>((resolve, reject) => {
			const waiter: Waiter = {
				request,
				resolve: (turn) => {
					signal?.removeEventListener('abort', onAbort);
					resolve(turn);
				}
			};
			const onAbort = () => {
				const i = this.waiters.indexOf(waiter);
				if (i >= 0) this.waiters.splice(i, 1);
				this.notify();
				reject(abortedError(signal?.reason));
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiters.push(waiter);
			this.notify();
		});
	}

	private notify(): void {
		for (const listener of this.listeners) listener(this.pending);
	}
}

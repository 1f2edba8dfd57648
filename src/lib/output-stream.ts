// Output arrives far faster than the screen can show it, so it is kept outside Svelte's reactivity:
// producers push chunks here and a view drains them once per animation frame.

/** Which stream a piece of output belongs to; `info` is for the app's own notes (e.g. "stopped"). */
export type OutputKind = 'stdout' | 'stderr' | 'info' | 'value' | 'error';

/** One piece of output. */
export interface OutputChunk {
	kind: OutputKind;
	text: string;
}

/** Receives chunks as they are pushed, and `null` when the stream is cleared. */
export type OutputSubscriber = (chunk: OutputChunk | null) => void;

/** An append-only, clearable output log that views subscribe to. */
export class OutputStream {
	#chunks: OutputChunk[] = [];
	#chars = 0;
	#subscribers = new Set<OutputSubscriber>();

	/** Characters kept for late subscribers; older chunks are dropped (views keep their own cap). */
	constructor(readonly keepChars = 2_000_000) {}

	/** Appends text of a kind; empty text is ignored. */
	push(kind: OutputKind, text: string): void {
		if (!text) return;
		const chunk = { kind, text };
		this.#chunks.push(chunk);
		this.#chars += text.length;
		while (this.#chars > this.keepChars && this.#chunks.length > 1) {
			this.#chars -= this.#chunks.shift()!.text.length;
		}
		for (const s of this.#subscribers) s(chunk);
	}

	/** Drops everything and tells subscribers to clear. */
	clear(): void {
		this.#chunks = [];
		this.#chars = 0;
		for (const s of this.#subscribers) s(null);
	}

	/** Characters currently kept. */
	get length(): number {
		return this.#chars;
	}

	/** The kept text, all kinds concatenated (used by tests and copy). */
	text(): string {
		return this.#chunks.map((c) => c.text).join('');
	}

	/** Replays kept chunks to the subscriber, then keeps it informed; returns an unsubscribe. */
	subscribe(subscriber: OutputSubscriber): () => void {
		for (const c of this.#chunks) subscriber(c);
		this.#subscribers.add(subscriber);
		return () => this.#subscribers.delete(subscriber);
	}
}

import type { OutputChunk, OutputKind } from './output-stream.ts';

/** Tuning of {@link OutputRenderer}. */
export interface OutputRendererOptions {
	/** Characters per block; blocks are separate layout units so an append relayouts one block. */
	blockChars?: number;
	/** Characters kept in the DOM; the oldest blocks are removed past it. */
	maxChars?: number;
	/** Schedules a flush; defaults to requestAnimationFrame. */
	schedule?: (flush: () => void) => void;
}

// Flushing at most this much per frame keeps each frame short even when a producer floods.
const maxCharsPerFlush = 256 * 1024;

/** Renders pushed output into a container in animation-frame batches, in newline-aligned blocks. */
export class OutputRenderer {
	#pending: OutputChunk[] = [];
	#pendingChars = 0;
	#scheduled = false;
	#block: HTMLElement | null = null;
	#blockChars = 0;
	#span: { kind: OutputKind; node: Text } | null = null;
	#blocks: { el: HTMLElement; chars: number }[] = [];
	#chars = 0;
	#trimmed = false;
	#skipped = false;
	#blockLimit: number;
	#maxChars: number;
	#schedule: (flush: () => void) => void;

	/** Called after each flush (e.g. to keep the view scrolled to the end). */
	onflush: (() => void) | null = null;

	/** Renders into `container`, which should be empty and is owned by the renderer from now on. */
	constructor(
		readonly container: HTMLElement,
		options: OutputRendererOptions = {}
	) {
		this.#blockLimit = options.blockChars ?? 8192;
		this.#maxChars = options.maxChars ?? 2_000_000;
		this.#schedule = options.schedule ?? ((f) => requestAnimationFrame(f));
	}

	/** Queues a chunk; `null` clears the view. */
	push(chunk: OutputChunk | null): void {
		if (chunk === null) {
			this.#pending = [];
			this.#pendingChars = 0;
			this.clear();
			return;
		}
		this.#pending.push(chunk);
		this.#pendingChars += chunk.text.length;
		// A producer faster than the screen: what would be trimmed right after drawing is never drawn.
		while (this.#pendingChars > this.#maxChars && this.#pending.length > 1) {
			this.#pendingChars -= this.#pending.shift()!.text.length;
			this.#skipped = true;
		}
		if (!this.#scheduled) {
			this.#scheduled = true;
			this.#schedule(() => this.flush());
		}
	}

	/** Removes all rendered output. */
	clear(): void {
		this.container.replaceChildren();
		this.#block = null;
		this.#span = null;
		this.#blocks = [];
		this.#chars = 0;
		this.#blockChars = 0;
		this.#trimmed = false;
	}

	/** Characters in the DOM now. */
	get renderedChars(): number {
		return this.#chars;
	}

	/** Writes queued output to the DOM now (normally called by the scheduler). */
	flush(): void {
		this.#scheduled = false;
		let budget = maxCharsPerFlush;
		if (this.#skipped) {
			// Everything on screen predates the skipped output, so it goes too.
			this.#skipped = false;
			this.clear();
			this.#trimmed = true;
		}
		while (this.#pending.length > 0 && budget > 0) {
			const chunk = this.#pending[0];
			if (chunk.text.length > budget) {
				this.#write(chunk.kind, chunk.text.slice(0, budget));
				this.#pending[0] = { kind: chunk.kind, text: chunk.text.slice(budget) };
				this.#pendingChars -= budget;
				budget = 0;
			} else {
				this.#pending.shift();
				this.#pendingChars -= chunk.text.length;
				this.#write(chunk.kind, chunk.text);
				budget -= chunk.text.length;
			}
		}
		this.#trim();
		if (this.#pending.length > 0 && !this.#scheduled) {
			this.#scheduled = true;
			this.#schedule(() => this.flush());
		}
		this.onflush?.();
	}

	#write(kind: OutputKind, text: string): void {
		while (text.length > 0) {
			if (this.#block === null || (this.#blockChars >= this.#blockLimit && this.#endsLine())) {
				this.#newBlock();
			}
			// Blocks end only after a newline so no line is visibly cut in two, except absurdly
			// long lines, which are hard-wrapped to keep each block's layout cheap.
			const room = this.#blockLimit - this.#blockChars;
			let take = text.length;
			if (take > room) {
				let nl = room > 0 ? text.lastIndexOf('\n', room - 1) : -1;
				if (nl < 0) nl = text.indexOf('\n');
				take = nl >= 0 ? nl + 1 : text.length;
				if (this.#blockChars + take > 4 * this.#blockLimit) {
					take = Math.max(1, 4 * this.#blockLimit - this.#blockChars);
					this.#appendToBlock(kind, text.slice(0, take));
					text = text.slice(take);
					this.#newBlock();
					continue;
				}
			}
			this.#appendToBlock(kind, text.slice(0, take));
			text = text.slice(take);
		}
	}

	#endsLine(): boolean {
		const d = this.#span?.node.data;
		return d === undefined || d.endsWith('\n');
	}

	#newBlock(): void {
		const el = document.createElement('div');
		el.className = 'out-block';
		this.container.append(el);
		this.#block = el;
		this.#blockChars = 0;
		this.#span = null;
		this.#blocks.push({ el, chars: 0 });
	}

	#appendToBlock(kind: OutputKind, text: string): void {
		if (this.#span === null || this.#span.kind !== kind) {
			const span = document.createElement('span');
			span.className = `out-${kind}`;
			const node = document.createTextNode(text);
			span.append(node);
			this.#block!.append(span);
			this.#span = { kind, node };
		} else {
			this.#span.node.appendData(text);
		}
		this.#blockChars += text.length;
		this.#blocks[this.#blocks.length - 1].chars += text.length;
		this.#chars += text.length;
	}

	#trim(): void {
		while (this.#chars > this.#maxChars && this.#blocks.length > 1) {
			const first = this.#blocks.shift()!;
			first.el.remove();
			this.#chars -= first.chars;
			this.#trimmed = true;
		}
		if (this.#trimmed && !this.container.firstElementChild?.classList.contains('out-trimmed')) {
			const note = document.createElement('div');
			note.className = 'out-trimmed';
			note.textContent = '… earlier output removed from view';
			this.container.prepend(note);
		}
	}
}

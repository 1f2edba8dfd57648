import type { ActionKind } from '../trace/events.ts';

/** What one model turn amounted to, once its end is known. */
export type TurnOutcome =
	| { type: 'action'; kind: ActionKind; code: string; raw: string }
	| { type: 'answer'; kind: ActionKind; code: string; raw: string }
	| { type: 'invalid'; reason: string; raw: string }
	| { type: 'none' };

/** How the model's stream ended. */
export interface StreamEnd {
	finishReason: string;
	/** The stop strings of the request (a server that honours them omits the matched one). */
	stops: readonly string[];
}

/** A finished turn: its outcome and its full text (including a closing tag the server swallowed). */
export interface TurnResult {
	outcome: TurnOutcome;
	/** Text to add to the turn at its end: held-back text, or a stop string the server matched and omitted. */
	appended: string;
}

/** Incremental parser of one model turn; finds the end of an action however the stream is chunked. */
export interface TurnParser {
	/** Feeds a chunk; returns the text that belongs to the turn and can be shown now. */
	push(chunk: string): string;
	/** Once done: the part of the last chunk past the turn's end (never executed). */
	readonly rest: string;
	/** True once the turn is complete (an action or answer closed, or a stop marker seen). */
	readonly done: boolean;
	/** Ends the turn and tells what it was. */
	finish(end: StreamEnd): TurnResult;
}

/** A tagged region of model output: `<sql>…</sql>`, `<solution>…</solution>`, a fenced block. */
export interface TagSpec {
	open: string;
	close: string;
	role: 'action' | 'answer';
	kind: ActionKind;
}

// Finish reasons that mean "a stop string matched" (OpenAI says `stop` for both a stop string and EOS,
// so an unclosed tag whose closer is a stop string is taken as closed, as vLLM's
// include_stop_str_in_output would have shown it).
const stopReasons = new Set(['stop', 'stop_sequence']);

/** Text kept in the window: the only part of earlier chunks a marker can still begin in. */
class Window {
	chunks: string[] = [];
	total = 0;
	/** Unscanned tail of earlier text and its absolute start. */
	tail = '';
	tailStart = 0;

	add(chunk: string): { text: string; start: number; base: number } {
		const base = this.total;
		this.chunks.push(chunk);
		this.total += chunk.length;
		return { text: this.tail + chunk, start: this.tailStart, base };
	}

	keep(window: string, start: number, from: number, marker: number): void {
		const cut = Math.max(from, window.length - Math.max(marker - 1, 0));
		this.tail = window.slice(cut);
		this.tailStart = start + cut;
	}

	text(end = this.total): string {
		const all = this.chunks.join('');
		this.chunks = [all];
		return all.slice(0, end);
	}
}

/** Parses tag-delimited actions and answers (SkyRL `<sql>`, LeTI-style `<python>`, fenced blocks). */
export class TagParser implements TurnParser {
	#specs: readonly TagSpec[];
	#clean: (code: string, spec: TagSpec) => string;
	#win = new Window();
	#maxOpen: number;
	#inside: { spec: TagSpec; from: number; openAt: number } | null = null;
	#end = -1;
	#closed: TagSpec | null = null;
	rest = '';

	/** Creates a parser for the given tags; `clean` tidies the code between them. */
	constructor(
		specs: readonly TagSpec[],
		clean: (code: string, spec: TagSpec) => string = (c) => c
	) {
		this.#specs = specs;
		this.#clean = clean;
		this.#maxOpen = Math.max(...specs.map((s) => s.open.length));
	}

	get done(): boolean {
		return this.#end >= 0;
	}

	push(chunk: string): string {
		if (this.done) return '';
		const { text, start, base } = this.#win.add(chunk);
		let pos = 0;
		for (;;) {
			if (!this.#inside) {
				let best = -1;
				let bestSpec: TagSpec | null = null;
				for (const spec of this.#specs) {
					const i = text.indexOf(spec.open, pos);
					if (i >= 0 && (best < 0 || i < best)) [best, bestSpec] = [i, spec];
				}
				if (!bestSpec) {
					this.#win.keep(text, start, pos, this.#maxOpen);
					return chunk;
				}
				pos = best + bestSpec.open.length;
				this.#inside = { spec: bestSpec, from: start + pos, openAt: start + best };
				continue;
			}
			const close = this.#inside.spec.close;
			const i = text.indexOf(close, pos);
			if (i < 0) {
				this.#win.keep(text, start, pos, close.length);
				return chunk;
			}
			this.#end = start + i + close.length;
			this.#closed = this.#inside.spec;
			this.rest = chunk.slice(this.#end - base);
			return chunk.slice(0, this.#end - base);
		}
	}

	finish(end: StreamEnd): TurnResult {
		if (!this.done && this.#inside) {
			const { close } = this.#inside.spec;
			if (!stopReasons.has(end.finishReason) || !end.stops.includes(close)) {
				const raw = this.#win.text().slice(this.#inside.openAt);
				return { outcome: { type: 'invalid', reason: 'unclosed', raw }, appended: '' };
			}
			this.#closed = this.#inside.spec;
			this.#end = this.#win.total + close.length;
			this.#win.chunks.push(close);
			this.#win.total += close.length;
			return { outcome: this.#outcome(), appended: close };
		}
		return { outcome: this.done ? this.#outcome() : { type: 'none' }, appended: '' };
	}

	#outcome(): TurnOutcome {
		const spec = this.#closed!;
		const text = this.#win.text(this.#end);
		const inner = text.slice(this.#inside!.from, this.#end - spec.close.length);
		const raw = text.slice(this.#inside!.openAt);
		return { type: spec.role, kind: spec.kind, code: this.#clean(inner, spec), raw };
	}
}

/** Parses a turn that ends at a stop marker (or the stream's end) and reads it as a whole then. */
export class StopParser implements TurnParser {
	#markers: readonly string[];
	#read: (text: string) => TurnOutcome;
	#win = new Window();
	#maxLen: number;
	#end = -1;
	#emitted = 0;
	rest = '';

	/** Creates a parser that ends the turn at the first marker and reads the text before it. */
	constructor(markers: readonly string[], read: (text: string) => TurnOutcome) {
		this.#markers = markers.filter((m) => m.length > 0);
		this.#read = read;
		this.#maxLen = Math.max(0, ...this.#markers.map((m) => m.length));
	}

	get done(): boolean {
		return this.#end >= 0;
	}

	push(chunk: string): string {
		if (this.done) return '';
		const { text, start, base } = this.#win.add(chunk);
		let best = -1;
		for (const marker of this.#markers) {
			const i = text.indexOf(marker);
			if (i >= 0 && (best < 0 || i < best)) best = i;
		}
		if (best >= 0) {
			// The marker is not part of the turn: a server honouring the stop string omits it too.
			this.#end = start + best;
			this.rest = chunk.slice(Math.max(0, this.#end - base));
			return this.#emit(text, start, this.#end);
		}
		this.#win.keep(text, start, 0, this.#maxLen);
		// Hold back a suffix that may be the start of a marker until the next chunk says.
		return this.#emit(text, start, this.#win.total - this.#held(text));
	}

	finish(): TurnResult {
		const end = this.done ? this.#end : this.#win.total;
		const text = this.#win.text(end);
		const appended = text.slice(this.#emitted);
		this.#emitted = end;
		return { outcome: this.#read(text), appended };
	}

	#emit(window: string, start: number, upTo: number): string {
		if (upTo <= this.#emitted) return '';
		const out = window.slice(this.#emitted - start, upTo - start);
		this.#emitted = upTo;
		return out;
	}

	#held(window: string): number {
		for (let n = Math.min(this.#maxLen - 1, window.length); n > 0; n--) {
			const suffix = window.slice(window.length - n);
			if (this.#markers.some((m) => m.startsWith(suffix))) return n;
		}
		return 0;
	}
}

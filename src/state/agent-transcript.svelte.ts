import type { AgentEvent, EventOf, TraceHeader } from '../core/trace/events.ts';

// The transcript the Agent tab shows, built from the loop's events as they arrive. Structural
// events add items (a rare, cheap array swap); streamed text only grows one message's `text`, so a
// chunk re-renders that message alone.

/** A model message (one model call), growing while it streams. */
export class MessageItem {
	readonly kind = 'message';
	text = $state('');
	/** Whether the call has ended (its text is final). */
	done = $state(false);
	constructor(
		readonly id: number,
		readonly call: number,
		readonly turn: number
	) {}
}

/** An action the loop executed, and (once back) its observation and reward. */
export class ActionItem {
	readonly kind = 'action';
	observation = $state.raw<EventOf<'observation'> | null>(null);
	reward = $state.raw<EventOf<'reward'> | null>(null);
	constructor(
		readonly id: number,
		readonly event: EventOf<'action'>
	) {}
}

/** The final answer, and its reward once computed. */
export class AnswerItem {
	readonly kind = 'answer';
	reward = $state.raw<EventOf<'reward'> | null>(null);
	constructor(
		readonly id: number,
		readonly event: EventOf<'answer'>
	) {}
}

/** Any other transcript entry. */
export type PlainItem =
	| { kind: 'prompt'; id: number; header: TraceHeader }
	| { kind: 'observation'; id: number; event: EventOf<'observation'> }
	| { kind: 'reward'; id: number; event: EventOf<'reward'> }
	| { kind: 'error'; id: number; event: EventOf<'error'> }
	| { kind: 'stop'; id: number; event: EventOf<'stop'> };

/** One entry of the transcript. */
export type TranscriptItem = MessageItem | ActionItem | AnswerItem | PlainItem;

/** The events of a run as a list of transcript entries, plus the latest budget and reward. */
export class Transcript {
	items = $state.raw<TranscriptItem[]>([]);
	/** Latest budget report. */
	budget = $state.raw<EventOf<'budget'> | null>(null);
	/** Latest reward (final or not). */
	reward = $state.raw<EventOf<'reward'> | null>(null);
	/** Why the run stopped, once it has. */
	stopped = $state.raw<EventOf<'stop'> | null>(null);
	/** Every event as received (the trace). */
	events: AgentEvent[] = [];
	#nextId = 0;
	// A lookup by call number, never shown: the items it holds are reactive themselves.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#messages = new Map<number, MessageItem>();

	/** Forgets everything. */
	clear(): void {
		this.items = [];
		this.budget = null;
		this.reward = null;
		this.stopped = null;
		this.events = [];
		this.#messages.clear();
	}

	/** Adds one event (an error event carries the doctor's fixes itself). */
	apply(event: AgentEvent): void {
		this.events.push(event);
		const id = this.#nextId++;
		switch (event.type) {
			case 'start':
				return this.#add({ kind: 'prompt', id, header: event.header });
			case 'call': {
				const item = new MessageItem(id, event.call, event.turn);
				this.#messages.set(event.call, item);
				return this.#add(item);
			}
			case 'text': {
				const item = this.#messages.get(event.call);
				if (item) item.text += event.text;
				return;
			}
			case 'call-end': {
				const item = this.#messages.get(event.call);
				if (!item) return;
				item.done = true;
				// A call that produced nothing (e.g. failed at once) leaves no empty bubble.
				if (!item.text) this.items = this.items.filter((i) => i !== item);
				return;
			}
			case 'action':
				return this.#add(new ActionItem(id, event));
			case 'observation': {
				const last = this.items.at(-1);
				if (last instanceof ActionItem && !last.observation && last.event.turn === event.turn) {
					last.observation = event;
					return;
				}
				return this.#add({ kind: 'observation', id, event });
			}
			case 'answer':
				return this.#add(new AnswerItem(id, event));
			case 'reward': {
				this.reward = event;
				const last = this.items.at(-1);
				if ((last instanceof ActionItem || last instanceof AnswerItem) && !last.reward) {
					last.reward = event;
					return;
				}
				return this.#add({ kind: 'reward', id, event });
			}
			case 'error':
				return this.#add({ kind: 'error', id, event });
			case 'budget':
				this.budget = event;
				return;
			case 'stop':
				this.stopped = event;
				for (const m of this.#messages.values()) m.done = true;
				return this.#add({ kind: 'stop', id, event });
		}
	}

	#add(item: TranscriptItem): void {
		this.items = [...this.items, item];
	}
}

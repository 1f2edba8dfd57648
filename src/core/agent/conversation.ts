import type { PresetRun } from '../presets/types.ts';
import type { ChatMessage, GenerateRequest, ToolCall } from '../providers/types.ts';

/** What a turn's request carries of the conversation, and what its `call` event says of it. */
export interface TurnRequest {
	body: Pick<GenerateRequest, 'messages' | 'prompt'>;
	/** Completion: the text put before the model's turn; chat: how many messages were sent. */
	shape: { prefix: string } | { messages: number };
}

/**
 * A run's conversation: the chat messages, or the completion transcript the model continues, and
 * the history (every model text and observation, in order). It hides the difference between the
 * two modes from the loop: requests are built, model turns and observations added, the same way.
 */
export class Conversation {
	readonly #mode: 'chat' | 'completion';
	readonly #run: PresetRun;
	readonly #messages: ChatMessage[] = [];
	readonly #history: string[] = [];
	#transcript: string;
	// The current turn, for the completion transcript once its observation is known.
	#turn = 0;
	#prefix = '';
	#turnText = '';

	constructor(mode: 'chat' | 'completion', run: PresetRun) {
		this.#mode = mode;
		this.#run = run;
		if (run.prompt.system) this.#messages.push({ role: 'system', content: run.prompt.system });
		this.#messages.push({ role: 'user', content: run.prompt.user });
		this.#transcript = run.prompt.completion;
	}

	/** Every model text and observation so far, joined. */
	history(): string {
		return this.#history.join('');
	}

	/** The request of a turn: the messages (through the preset's window) or the transcript. */
	request(turn: number): TurnRequest {
		this.#turn = turn;
		if (this.#mode === 'chat') {
			this.#prefix = '';
			const messages = this.#run.window?.(this.#messages) ?? [...this.#messages];
			return { body: { messages }, shape: { messages: messages.length } };
		}
		this.#prefix = this.#run.prefix?.(turn) ?? '';
		return {
			body: { prompt: this.#transcript + this.#prefix },
			shape: { prefix: this.#prefix }
		};
	}

	/** Adds the model's turn (chat: as the assistant's message, with its tool calls). */
	addModelTurn(text: string, toolCalls: ToolCall[]): void {
		this.#turnText = text;
		this.#history.push(text);
		if (this.#mode === 'chat')
			this.#messages.push({
				role: 'assistant',
				content: text,
				...(toolCalls.length ? { toolCalls } : {})
			});
	}

	/** Adds the result of a native tool call (chat): a tool message answering the call. */
	addToolMessage(callId: string, text: string): void {
		this.#messages.push({ role: 'tool', content: text, toolCallId: callId });
	}

	/**
	 * Adds what the turn's action brought back: to the history, to the transcript (completion: the
	 * turn as the preset renders it) and, unless it went as tool messages, as the user's message.
	 */
	addObservation(text: string, { asMessage = true } = {}): void {
		if (this.#mode === 'chat' && asMessage) this.#messages.push({ role: 'user', content: text });
		this.#history.push(text);
		if (this.#mode === 'completion')
			this.#transcript += this.#run.renderTurn
				? this.#run.renderTurn(this.#turnText, this.#turn, text)
				: this.#prefix + this.#turnText + text;
	}
}

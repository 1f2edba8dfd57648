/** A message of a chat conversation, provider-neutral. */
export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string;
	/** Tool calls the assistant made in this message. */
	toolCalls?: ToolCall[];
	/** For role "tool": the call this answers. */
	toolCallId?: string;
}

/** A tool the model may call (native tool-calling preset). */
export interface ToolSpec {
	name: string;
	description: string;
	/** JSON Schema of the arguments object. */
	parameters: Record<string, unknown>;
}

/** A complete tool call, its arguments as the JSON text the model produced. */
export interface ToolCall {
	id: string;
	name: string;
	arguments: string;
}

/** One generation request. `chat` uses messages; `completion` continues a raw prompt. */
export interface GenerateRequest {
	mode: 'chat' | 'completion';
	messages?: ChatMessage[];
	prompt?: string;
	stop?: string[];
	tools?: ToolSpec[];
	temperature?: number;
	maxTokens?: number;
	signal?: AbortSignal;
}

/** A piece of a streamed generation. Tool calls are emitted once complete. */
export type StreamChunk =
	| { type: 'text'; text: string }
	| { type: 'tool-call'; call: ToolCall }
	| {
			type: 'done';
			finishReason: string;
			usage?: { promptTokens: number; completionTokens: number };
	  };

/** A model backend: streams chunks for a request, aborts when the request's signal fires. */
export interface Provider {
	readonly kind: 'openai' | 'anthropic' | 'webllm' | 'replay' | 'manual';
	readonly model: string;
	// Failures throw a ProviderError (errors.ts) whose `kind` says why (kind 'aborted' when the
	// signal fires); leaving the iteration early closes the connection.
	generate(request: GenerateRequest): AsyncIterable<StreamChunk>;
	/** Models offered by the backend, where it can list them. */
	listModels?(): Promise<string[]>;
}

/**
 * JSON as a model server sent it: untrusted and of any shape, so it is read only through optional
 * chaining, `typeof` checks and `String(…)`, never trusted as a declared type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire data is checked where read
export type WireJson = any;

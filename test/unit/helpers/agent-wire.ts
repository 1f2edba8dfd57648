import { afterAll, beforeAll, expect } from 'vitest';
import { runAgent, type RunAgentOptions } from '../../../src/core/agent/loop.ts';
import { AnthropicProvider } from '../../../src/core/providers/anthropic.ts';
import { OpenAiProvider } from '../../../src/core/providers/openai.ts';
import type { AgentEvent, SqlTask } from '../../../src/core/trace/events.ts';
import { exportTrace, importTrace, traceFromEvents } from '../../../src/core/trace/trace.ts';
import {
	startAnthropicServer,
	startOpenAiServer,
	type Script,
	type ScriptedServer,
	type ServerOptions
} from '../../fixtures/index.ts';
import { choirBytes, choirFacts, choirTask } from '../../fixtures/choir-db.ts';
import { nodeRuntime, type NodeRuntime } from './node-runtime.ts';
import { ofType } from './run-events.ts';

// Taken before any engine loads: the Python engine removes the network globals of its realm (the
// worker's in the product, this process's in Node tests), so providers get this fetch explicitly.
const nodeFetch = globalThis.fetch.bind(globalThis);

/** A scripted server and the real provider pointed at it. */
export interface Wire<P> {
	server: ScriptedServer;
	provider: P;
}

/** Starts scripted servers with real providers and closes them all at the end of a test file. */
export class Wires {
	#servers: ScriptedServer[] = [];

	/** A scripted OpenAI-compatible server and an OpenAiProvider for it. */
	async openAi(
		script: Script,
		options: ServerOptions & { apiKey?: string; clientKey?: string } = {}
	): Promise<Wire<OpenAiProvider>> {
		const server = await startOpenAiServer(script, options);
		this.#servers.push(server);
		const provider = new OpenAiProvider({
			baseUrl: server.url,
			model: 'test-model',
			apiKey: options.clientKey,
			fetch: nodeFetch
		});
		return { server, provider };
	}

	/** A scripted Anthropic server and an AnthropicProvider for it. */
	async anthropic(
		script: Script,
		options: ServerOptions & { clientKey?: string } = {}
	): Promise<Wire<AnthropicProvider>> {
		const server = await startAnthropicServer(script, options);
		this.#servers.push(server);
		const provider = new AnthropicProvider({
			baseUrl: server.url,
			model: 'claude-test',
			apiKey: options.clientKey ?? 'sk-ant-test',
			fetch: nodeFetch
		});
		return { server, provider };
	}

	/** Closes every server started so far. */
	async closeAll(): Promise<void> {
		await Promise.all(this.#servers.splice(0).map((s) => s.close()));
	}
}

/** The task the wire tests share: one count over our choir database's non-ASCII `sänger` table. */
export const wireTask: SqlTask = choirTask;

/** Opens our choir database (German, non-ASCII names; test/fixtures/choir-db.ts) under its id. */
async function openChoir(runtime: NodeRuntime): Promise<void> {
	runtime.sqlEngine.open(choirFacts.db, await choirBytes());
}

/** What {@link wireSuite} gives a test file. */
export interface WireSuite {
	wires: Wires;
	/** The real engines (set before the first test). */
	readonly runtime: NodeRuntime;
	/** {@link drive} with this runtime. */
	drive(
		options: Omit<RunAgentOptions, 'runtime'>,
		onEvent?: (event: AgentEvent) => void
	): Promise<AgentEvent[]>;
}

/**
 * Sets up a wire test file: real engines before its tests (SQL with the choir database open, or with
 * Python), and its scripted servers closed after them.
 */
export function wireSuite(options: { python?: boolean } = {}): WireSuite {
	const wires = new Wires();
	let runtime: NodeRuntime | null = null;
	beforeAll(async () => {
		runtime = await nodeRuntime(options);
		if (!options.python) await openChoir(runtime);
	});
	afterAll(() => wires.closeAll());
	return {
		wires,
		get runtime() {
			if (!runtime) throw new Error('wireSuite: runtime used before beforeAll ran');
			return runtime;
		},
		drive(options, onEvent) {
			return drive({ ...options, runtime: this.runtime }, onEvent);
		}
	};
}

/** Runs the loop to its end, calling `onEvent` for each event as it arrives. */
export async function drive(
	options: RunAgentOptions,
	onEvent?: (event: AgentEvent) => void
): Promise<AgentEvent[]> {
	const events: AgentEvent[] = [];
	for await (const event of runAgent(options)) {
		events.push(event);
		onEvent?.(event);
	}
	return events;
}

/** Everything the model's text events said, per call, joined. */
export function modelText(events: AgentEvent[]): string[] {
	const calls: string[] = [];
	for (const e of ofType(events, 'text')) calls[e.call - 1] = (calls[e.call - 1] ?? '') + e.text;
	return calls;
}

/** Asserts a run's events form a valid trace that survives export and import unchanged. */
export function expectWellFormedTrace(events: AgentEvent[]): void {
	expect(events[0]?.type).toBe('start');
	expect(events.filter((e) => e.type === 'stop')).toHaveLength(1);
	expect(events.at(-1)?.type).toBe('stop');
	const trace = traceFromEvents(events);
	expect(importTrace(exportTrace(trace))).toEqual(trace);
}

/** The chat messages a request carried (OpenAI wire shape). */
export function sentMessages(server: ScriptedServer, index: number): Record<string, unknown>[] {
	return server.requests[index].body.messages;
}

/** The last event of a run. */
export const lastEvent = (events: AgentEvent[]) => events.at(-1);

/** Rejections nobody handled while a test ran (the loop must never leave one behind). */
export function trackUnhandled(): { list: unknown[]; dispose: () => void } {
	const list: unknown[] = [];
	const onRejection = (reason: unknown) => list.push(reason);
	process.on('unhandledRejection', onRejection);
	return { list, dispose: () => process.off('unhandledRejection', onRejection) };
}

import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildSample } from '../../scripts/make-samples.ts';
import { school } from '../../scripts/samples/school.ts';
import type { AgentEnvironment, RunSource } from '../../src/core/agent/agent-run.ts';
import { exportTraces } from '../../src/core/export/index.ts';
import type { AgentEvent } from '../../src/core/trace/events.ts';
import { traceToV2 } from '../../src/core/trace/trace-v2.ts';
import { eventsFromTrace } from '../../src/core/trace/trace.ts';
import { recordedTrace } from '../../src/data/traces/index.ts';
import type { OutgoingMessage } from '../../src/embed/contract.ts';
import { embedHarness, type EmbedSend } from './helpers/embed-harness.ts';
import { registerExportHandler } from '../../src/embed/export-handler.ts';
import { createEmbedRegistry } from '../../src/embed/registry.ts';
import { registerReplayHandler } from '../../src/embed/replay-handler.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

// `replay` and `export` through the real dispatcher, the real loop and real sql.js (the browser
// version, through a host page on another origin, is test/e2e/replay.e2e.test.ts).

const host = 'https://host.example';
const trace = recordedTrace('skyrl-sql');
let runtime: NodeRuntime;
let send: EmbedSend;
let schoolBytes: Uint8Array;
const sources: RunSource[] = [];

beforeAll(async () => {
	runtime = await nodeRuntime();
	schoolBytes = buildSample(await initSqlJs(), school).bytes;
	const env: AgentEnvironment = {
		runtime,
		async ensureDb(db) {
			if (!runtime.sqlEngine.list().includes(db)) throw new Error(`no database ${db}`);
		},
		engines: async () => runtime.engines,
		recorder: {
			open(source) {
				sources.push(source);
				return { write() {}, close() {} };
			}
		}
	};
	const registry = createEmbedRegistry();
	registerReplayHandler(registry, env);
	registerExportHandler(registry);
	send = embedHarness(registry, host);
});

/** The one result among the replies (it comes last). */
function resultOf(replies: OutgoingMessage[]): Record<string, unknown> {
	const results = replies.filter((m) => m.type === 'result');
	expect(results).toHaveLength(1);
	expect(replies.at(-1)).toBe(results[0]);
	return results[0] as unknown as Record<string, unknown>;
}

const eventsOf = (replies: OutgoingMessage[]) =>
	replies.filter((m) => m.type === 'event').map((m) => (m as { event: AgentEvent }).event);

describe('replay', () => {
	test('on the recorded database: every loop event, then ok with no divergence', async () => {
		runtime.sqlEngine.open('school', schoolBytes);
		const replies = await send({ type: 'replay', id: 'r1', trace });
		const result = resultOf(replies);
		expect(result).toEqual({ execlab: 1, type: 'result', id: 'r1', ok: true, divergences: [] });
		const events = eventsOf(replies);
		expect(events[0].type).toBe('start');
		// The same events as recorded (text deltas aside: the recording merged them).
		const kinds = (es: AgentEvent[]) => es.map((e) => e.type).filter((t) => t !== 'text');
		expect(kinds(events)).toEqual(kinds(eventsFromTrace(trace)));
		expect(
			events.filter((e) => e.type === 'observation').map((e) => e.type === 'observation' && e.text)
		).toEqual(trace.events.flatMap((e) => (e.type === 'observation' ? [e.text] : [])));
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		// Saved as the host's run, never as one of the user's own.
		expect(sources.at(-1)).toEqual({ kind: 'embed', origin: host });
	});

	test('a v2 trace replays too; on an altered database the divergence comes back as {action, expected, actual}', async () => {
		runtime.sqlEngine.open('school', schoolBytes);
		await runtime.sql.exec(
			"UPDATE departments SET building = 'Lab Wing' WHERE building = 'Gymnasium'",
			{ db: 'school' }
		);
		const replies = await send({
			type: 'replay',
			id: 'r2',
			trace: traceToV2(trace),
			speed: 100000
		});
		const result = resultOf(replies);
		expect(result.ok).toBe(true);
		const divergences = result.divergences as {
			action: number;
			expected: string;
			actual: string;
		}[];
		expect(divergences.length).toBeGreaterThan(0);
		expect(Object.keys(divergences[0]).sort()).toEqual(['action', 'actual', 'expected']);
		expect(divergences[0]).toMatchObject({ action: 0 });
		expect(divergences[0].expected).toContain('Gymnasium  1');
		expect(divergences[0].actual).toContain('Lab Wing  3');
		runtime.sqlEngine.open('school', schoolBytes);
	});

	test('a malformed trace is refused before anything runs, naming the field', async () => {
		const broken = structuredClone(trace) as unknown as { events: { type: string }[] };
		broken.events[3].type = 'nonsense';
		const replies = await send({ type: 'replay', id: 'bad', trace: broken });
		expect(replies).toHaveLength(1);
		expect(resultOf(replies)).toMatchObject({
			ok: false,
			error: {
				type: 'InvalidMessage',
				message: expect.stringMatching(/^replay: trace\.events\.3\.type: /)
			}
		});
		const wrong = await send({ type: 'replay', id: 'v9', trace: { ...trace, version: 9 } });
		expect(resultOf(wrong).error).toMatchObject({
			message: 'replay: trace.version: expected 1 or 2, got 9'
		});
		const speed = await send({ type: 'replay', id: 's', trace, speed: -1 });
		expect(resultOf(speed).error).toMatchObject({
			message: expect.stringMatching(/^replay: speed: /)
		});
		const extra = await send({ type: 'replay', id: 'x', trace, sped: 1 });
		expect(resultOf(extra).error).toMatchObject({
			type: 'InvalidMessage',
			message: expect.stringContaining('sped')
		});
	});

	test('a missing database is reported, not a crash', async () => {
		const elsewhere = structuredClone(trace);
		if (!('db' in elsewhere.header.task)) throw new Error('an SQL trace');
		elsewhere.header.task.db = 'nowhere';
		const replies = await send({ type: 'replay', id: 'nodb', trace: elsewhere });
		expect(resultOf(replies)).toMatchObject({
			ok: false,
			divergences: [],
			error: { type: 'UnknownDatabase' }
		});
	});
});

describe('export', () => {
	const formats = ['json', 'jsonl', 'leti', 'chat', 'skyrl', 'intercode'] as const;

	test.each(formats)('%s: the text src/core/export writes', async (format) => {
		// InterCode logs are of InterCode presets only (see the refusal below).
		const t = format === 'intercode' ? recordedTrace('intercode-react') : trace;
		const result = resultOf(await send({ type: 'export', id: format, trace: t, format }));
		expect(result).toEqual({
			execlab: 1,
			type: 'result',
			id: format,
			ok: true,
			text: exportTraces([traceToV2(t)], format)
		});
		expect((result.text as string).length).toBeGreaterThan(0);
	});

	test('an array of traces is one JSONL line each', async () => {
		const text = resultOf(
			await send({ type: 'export', id: 'many', trace: [trace, trace], format: 'jsonl' })
		).text as string;
		expect(text.trim().split('\n')).toHaveLength(2);
	});

	test('what a format cannot hold is ok: false with the reason', async () => {
		const two = resultOf(
			await send({ type: 'export', id: 'two', trace: [trace, trace], format: 'json' })
		);
		expect(two).toMatchObject({
			ok: false,
			error: { type: 'ExportError', message: expect.stringContaining('format "json"') }
		});
		const python = recordedTrace('python-feedback');
		const sk = resultOf(await send({ type: 'export', id: 'py', trace: python, format: 'skyrl' }));
		expect(sk).toMatchObject({
			ok: false,
			error: { message: expect.stringContaining('SQL tasks') }
		});
		const ic = resultOf(await send({ type: 'export', id: 'ic', trace, format: 'intercode' }));
		expect(ic).toMatchObject({
			ok: false,
			error: { type: 'ExportError', message: expect.stringContaining('skyrl-sql') }
		});
	});

	test('malformed requests name the field: an unknown format, a bad record in an array', async () => {
		const fmt = resultOf(await send({ type: 'export', id: 'f', trace, format: 'csv' }));
		expect(fmt.error).toMatchObject({
			type: 'InvalidMessage',
			message: expect.stringMatching(/^export: format: /)
		});
		const bad = resultOf(
			await send({
				type: 'export',
				id: 'b',
				trace: [trace, { format: 'execlab-trace', version: 2 }],
				format: 'jsonl'
			})
		);
		expect(bad.error).toMatchObject({
			message: expect.stringMatching(/^export: trace\.1\.header: /)
		});
		const none = resultOf(await send({ type: 'export', id: 'n', format: 'json' }));
		expect(none.error).toMatchObject({ message: expect.stringMatching(/trace/) });
	});
});

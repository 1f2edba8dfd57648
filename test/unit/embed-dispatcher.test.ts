import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { z } from 'zod';
import { contractVersion, type OutgoingMessage } from '../../src/embed/contract.ts';
import { registerCoreHandlers } from '../../src/embed/core-handlers.ts';
import { createEmbedDispatcher, type EmbedDispatcher } from '../../src/embed/dispatcher.ts';
import { createOriginPolicy } from '../../src/embed/origin-policy.ts';
import { createEmbedRegistry, type EmbedRegistry } from '../../src/embed/registry.ts';
import { PythonEngine } from '../../workers/python-engine.ts';
import { choirBytes, choirFacts } from '../fixtures/choir-db.ts';
import { spiderDb, testRealData } from '../shared-data.ts';
import { pythonRuntimeOf, sqlRuntimeOf } from './helpers/node-runtime.ts';
import { nodeSqlEngine } from './sql-helpers.ts';

// The dispatcher with the real engines (Pyodide, sql.js) behind the core handlers, driven as a
// host page would drive it, minus the window.

const host = 'https://host.example';
const stranger = 'https://stranger.example';

let registry: EmbedRegistry;
let dispatcher: EmbedDispatcher;
let python: PythonEngine;
const debugged: string[] = [];

beforeAll(async () => {
	const indexURL = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));
	python = await PythonEngine.load({ indexURL });
	const sql = await nodeSqlEngine();
	sql.open('main', new Uint8Array());
	registry = createEmbedRegistry();
	registerCoreHandlers(registry, { python: pythonRuntimeOf(python), sql: sqlRuntimeOf(sql) });
	const { policy } = createOriginPolicy({
		ownOrigin: 'https://execlab.example',
		search: `?embed=1&allowOrigin=${encodeURIComponent(host)}`
	});
	dispatcher = createEmbedDispatcher({ registry, policy, debug: (m) => debugged.push(m) });
});

/** Sends one message from an origin and returns everything posted back. */
async function send(data: unknown, origin = host): Promise<OutgoingMessage[]> {
	const replies: OutgoingMessage[] = [];
	await dispatcher.handle(data, origin, (m) => replies.push(structuredClone(m)));
	return replies;
}

/** Sends a request that must get exactly one result, and returns it. */
async function request(data: Record<string, unknown>): Promise<Record<string, unknown>> {
	const replies = await send({ execlab: 1, ...data });
	expect(replies).toHaveLength(1);
	expect(replies[0]).toMatchObject({ execlab: 1, type: 'result', id: data.id ?? null });
	return replies[0] as unknown as Record<string, unknown>;
}

test('run python: stdout, value, and a persistent namespace', async () => {
	const r = await request({
		type: 'run',
		id: 'p1',
		language: 'python',
		code: 'x = 6\nprint("hi")\nx * 7'
	});
	expect(r).toMatchObject({ ok: true, stdout: 'hi\n', stderr: '', value: '42', truncated: false });
	expect(typeof r.durationMs).toBe('number');
	expect(r).not.toHaveProperty('error');
	const again = await request({ type: 'run', id: 2, language: 'python', code: 'x + 1' });
	expect(again).toMatchObject({ id: 2, ok: true, value: '7' });
});

test('run python: an exception is data with type, message and the user line', async () => {
	const r = await request({
		type: 'run',
		id: 'p2',
		language: 'python',
		code: 'a = 1\nprint("before")\nb = a / 0\n',
		timeoutMs: 5000
	});
	expect(r.ok).toBe(false);
	expect(r.stdout).toBe('before\n');
	expect(r.error).toMatchObject({
		type: 'ZeroDivisionError',
		message: 'division by zero',
		line: 3
	});
	expect(r).not.toHaveProperty('value');
});

test('trace: steps of the code sent, stdout, truncated at maxSteps; a raise keeps its steps', async () => {
	const r = await request({
		type: 'trace',
		id: 't1',
		code: 'def sq(v):\n    return v * v\nx = sq(3)\nprint(x)\n'
	});
	expect(r).toMatchObject({ ok: true, stdout: '9\n', truncated: false });
	expect(r).not.toHaveProperty('error');
	const steps = r.steps as { event: string; line: number; func: string; changed?: object }[];
	expect(steps.map((s) => [s.event, s.line, s.func, s.changed])).toEqual([
		['line', 1, '<module>', undefined],
		['line', 3, '<module>', { sq: expect.stringMatching(/^<function sq at/) }],
		['call', 1, 'sq', { v: '3' }],
		['line', 2, 'sq', undefined],
		['return', 2, 'sq', undefined],
		['return', 3, '<module>', { x: '9' }],
		['line', 4, '<module>', undefined],
		['return', 4, '<module>', undefined]
	]);
	expect(steps[4]).toMatchObject({ value: '9' });
	// Each trace starts from empty globals: x of the last one is gone.
	const raised = await request({
		type: 'trace',
		id: 't2',
		code: 'print(x)',
		timeoutMs: 5000
	});
	expect(raised).toMatchObject({ ok: false, error: { type: 'NameError', line: 1 } });
	expect((raised.steps as unknown[]).length).toBe(3);
	const loop = await request({
		type: 'trace',
		id: 't3',
		code: 'while True:\n    pass',
		maxSteps: 50
	});
	expect(loop).toMatchObject({ ok: false, truncated: true, error: { type: 'TraceLimit' } });
	expect(loop.steps).toHaveLength(50);
	const after = await request({
		type: 'run',
		id: 't4',
		language: 'python',
		code: 'import sys\nsys.gettrace() is None'
	});
	expect(after).toMatchObject({ ok: true, value: 'True' });
});

test('run sql: rows, columns, counts and maxRows; an error is data', async () => {
	const r = await request({
		type: 'run',
		id: 's1',
		language: 'sql',
		code: 'CREATE TABLE t(n INTEGER, s TEXT); INSERT INTO t VALUES (1,"a"),(2,"b"),(3,"c"); SELECT * FROM t ORDER BY n',
		maxRows: 2
	});
	expect(r).toMatchObject({
		ok: true,
		columns: ['n', 's'],
		rows: [
			[1, 'a'],
			[2, 'b']
		],
		types: ['it', 'it'],
		rowCount: 3,
		truncated: true
	});
	const bad = await request({
		type: 'run',
		id: 's2',
		language: 'sql',
		code: 'SELECT * FROM nowhere'
	});
	expect(bad.ok).toBe(false);
	expect(bad.error).toEqual({ type: 'SqliteError', message: 'no such table: nowhere' });
});

/** load-db with a .sqlite file's bytes, then schema and a count of `sänger` against it. */
async function expectLoadDb(
	file: Uint8Array,
	tables: readonly string[],
	singers: number
): Promise<void> {
	const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
	const loaded = await request({ type: 'load-db', id: 'l1', name: 'concert', bytes: buffer });
	expect(loaded.ok).toBe(true);
	expect([...(loaded.tables as string[])].sort()).toEqual([...tables].sort());
	const schema = await request({ type: 'schema', id: 'l2', db: 'concert' });
	expect(schema.ok).toBe(true);
	const singer = (schema.schema as { tables: { name: string; rowCount: number }[] }).tables.find(
		(t) => t.name === 'sänger'
	);
	expect(singer?.rowCount).toBe(singers);
	const count = await request({
		type: 'run',
		id: 'l3',
		language: 'sql',
		db: 'concert',
		code: 'SELECT count(*) AS n FROM sänger'
	});
	expect(count).toMatchObject({ ok: true, columns: ['n'], rows: [[singers]], rowCount: 1 });
	const garbage = await request({
		type: 'load-db',
		id: 'l4',
		name: 'junk',
		bytes: new TextEncoder().encode('this is not a database, not at all, no').buffer
	});
	expect(garbage.ok).toBe(false);
	expect((garbage.error as { message: string }).message).toMatch(/not a database/);
}

test('load-db with the bytes of a .sqlite of ours, then schema and run against it', async () => {
	await expectLoadDb(await choirBytes(), choirFacts.tables, choirFacts.singers);
});

testRealData('load-db with the bytes of a real .sqlite, then schema and run against it', () =>
	expectLoadDb(
		readFileSync(spiderDb('concert_singer')),
		['konzert', 'stadion', 'sänger', 'sänger_im_konzert'],
		6
	)
);

test('reset: python forgets the embed session, sql closes the databases the host loaded', async () => {
	await request({ type: 'run', id: 'r0', language: 'python', code: 'kept = 1' });
	expect(await request({ type: 'reset', id: 'r1', language: 'python' })).toEqual({
		execlab: 1,
		type: 'result',
		id: 'r1',
		ok: true
	});
	const gone = await request({ type: 'run', id: 'r2', language: 'python', code: 'kept' });
	expect(gone.error).toMatchObject({ type: 'NameError', line: 1 });

	const bytes = await choirBytes();
	await request({ type: 'load-db', id: 'r3', name: 'mine', bytes });
	const reset = await request({ type: 'reset', id: 'r4', language: 'sql' });
	expect(reset).toMatchObject({ ok: true });
	expect(reset.closed).toContain('mine');
	const after = await request({ type: 'schema', id: 'r5', db: 'mine' });
	expect(after.ok).toBe(false);
	// The app's own database is untouched.
	const main = await request({
		type: 'run',
		id: 'r6',
		language: 'sql',
		code: 'SELECT count(*) FROM t'
	});
	expect(main).toMatchObject({ ok: true, rows: [[3]] });
});

test('malformed messages get an ok:false result naming the problem, id kept when usable', async () => {
	const cases: [unknown, string | number | null, string, RegExp][] = [
		['hello', null, 'InvalidMessage', /object/],
		[null, null, 'InvalidMessage', /object/],
		[[1, 2], null, 'InvalidMessage', /object/],
		[{ type: 'run', id: 'm1' }, 'm1', 'InvalidMessage', /execlab/],
		[{ execlab: 2, type: 'run', id: 'm2' }, 'm2', 'UnsupportedVersion', /speaks 1/],
		[{ execlab: 1, id: 'm3' }, 'm3', 'InvalidMessage', /type/],
		[
			{ execlab: 1, type: 'fly', id: 'm4' },
			'm4',
			'UnknownMessageType',
			/run, load-db, schema, reset/
		],
		[
			{ execlab: 1, type: 'run', id: 'm5', language: 'ruby', code: '1' },
			'm5',
			'InvalidMessage',
			/language/
		],
		[{ execlab: 1, type: 'run', id: 'm6', language: 'python' }, 'm6', 'InvalidMessage', /code/],
		[
			{ execlab: 1, type: 'run', id: 'm7', language: 'python', code: 1 },
			'm7',
			'InvalidMessage',
			/code/
		],
		[
			{ execlab: 1, type: 'run', id: 'm8', language: 'python', code: '1', tiemoutMs: 5 },
			'm8',
			'InvalidMessage',
			/tiemoutMs/
		],
		[
			{ execlab: 1, type: 'run', id: 'm9', language: 'python', code: '1', timeoutMs: -1 },
			'm9',
			'InvalidMessage',
			/timeoutMs/
		],
		[
			{ execlab: 1, type: 'run', id: 'm10', language: 'python', code: '1', db: 'main' },
			'm10',
			'InvalidMessage',
			/db/
		],
		[{ execlab: 1, type: 'run', language: 'python', code: '1' }, null, 'InvalidMessage', /id/],
		[
			{ execlab: 1, type: 'run', id: { no: 1 }, language: 'python', code: '1' },
			null,
			'InvalidMessage',
			/id/
		],
		[
			{ execlab: 1, type: 'load-db', id: 'm11', name: 'x', bytes: 'abc' },
			'm11',
			'InvalidMessage',
			/bytes/
		],
		[{ execlab: 1, type: 'schema', id: 'm12' }, 'm12', 'InvalidMessage', /db/],
		[{ execlab: 1, type: 'reset', id: 'm13', language: 'js' }, 'm13', 'InvalidMessage', /language/],
		[{ execlab: 1, type: 'trace', id: 'm14' }, 'm14', 'InvalidMessage', /code/],
		[
			{ execlab: 1, type: 'trace', id: 'm15', code: '1', maxSteps: 0 },
			'm15',
			'InvalidMessage',
			/maxSteps/
		],
		[
			{ execlab: 1, type: 'trace', id: 'm16', code: '1', language: 'python' },
			'm16',
			'InvalidMessage',
			/language/
		]
	];
	for (const [data, id, type, message] of cases) {
		const replies = await send(data);
		expect(replies, JSON.stringify(data)).toHaveLength(1);
		expect(replies[0]).toMatchObject({
			execlab: 1,
			type: 'result',
			id,
			ok: false,
			error: { type }
		});
		expect((replies[0] as { error: { message: string } }).error.message).toMatch(message);
	}
});

test('messages from an origin that is not allowed are ignored and run nothing', async () => {
	await request({ type: 'run', id: 'o0', language: 'python', code: 'marker = "untouched"' });
	const replies = await send(
		{ execlab: 1, type: 'run', id: 'o1', language: 'python', code: 'marker = "stranger ran"' },
		stranger
	);
	expect(replies).toEqual([]);
	expect(await send('garbage', 'null')).toEqual([]);
	expect(debugged.some((m) => m.includes(stranger))).toBe(true);
	const marker = await request({ type: 'run', id: 'o2', language: 'python', code: 'marker' });
	expect(marker.value).toBe("'untouched'");
});

test('our own outgoing message types are never answered (no echo loop between two ExecLabs)', async () => {
	for (const type of ['ready', 'result', 'event']) {
		expect(await send({ execlab: 1, type, id: 'x', ok: true })).toEqual([]);
	}
	expect(() => registry.register('result', { schema: z.any(), handle: () => null })).toThrow();
});

test('an added type can stream events before its result, and be cancelled by another request', async () => {
	const extra = createEmbedRegistry();
	const steps = z.strictObject({
		execlab: z.literal(1),
		type: z.literal('count'),
		id: z.string(),
		to: z.number()
	});
	extra.register('count', {
		schema: steps,
		async handle(request, context) {
			for (let i = 1; i <= request.to; i++) {
				if (context.signal.aborted) return { ok: false, stopped: true, reached: i - 1 };
				context.emit({ step: i });
				await new Promise((r) => setTimeout(r, 5));
			}
			return { ok: true, reached: request.to };
		}
	});
	extra.register('halt', {
		schema: z.strictObject({ execlab: z.literal(1), type: z.literal('halt'), id: z.string() }),
		handle: (_request, context) => ({ ok: context.cancel(context.id) > 0 })
	});
	extra.register('boom', {
		schema: z.strictObject({ execlab: z.literal(1), type: z.literal('boom'), id: z.string() }),
		handle() {
			throw new TypeError('worker gone');
		}
	});
	const { policy } = createOriginPolicy({ ownOrigin: host });
	const d = createEmbedDispatcher({ registry: extra, policy, debug: () => {} });
	const seen: OutgoingMessage[] = [];
	const reply = (m: OutgoingMessage) => seen.push(m);

	await d.handle({ execlab: 1, type: 'count', id: 'c', to: 3 }, host, reply);
	expect(seen).toEqual([
		{ execlab: 1, type: 'event', id: 'c', event: { step: 1 } },
		{ execlab: 1, type: 'event', id: 'c', event: { step: 2 } },
		{ execlab: 1, type: 'event', id: 'c', event: { step: 3 } },
		{ execlab: 1, type: 'result', id: 'c', ok: true, reached: 3 }
	]);

	seen.length = 0;
	const long = d.handle({ execlab: 1, type: 'count', id: 'L', to: 1000 }, host, reply);
	await new Promise((r) => setTimeout(r, 30));
	await d.handle({ execlab: 1, type: 'halt', id: 'L' }, host, reply);
	await long;
	const results = seen.filter((m) => m.type === 'result');
	expect(results).toEqual([
		{ execlab: 1, type: 'result', id: 'L', ok: true },
		expect.objectContaining({ id: 'L', ok: false, stopped: true })
	]);
	expect(seen.filter((m) => m.type === 'event').length).toBeLessThan(1000);

	seen.length = 0;
	await d.handle({ execlab: 1, type: 'boom', id: 'b' }, host, reply);
	expect(seen).toEqual([
		{
			execlab: 1,
			type: 'result',
			id: 'b',
			ok: false,
			error: { type: 'TypeError', message: 'worker gone' }
		}
	]);
});

test('a reply that cannot be posted still answers with the reason', async () => {
	const posted: OutgoingMessage[] = [];
	let first = true;
	await dispatcher.handle(
		{ execlab: contractVersion, type: 'run', id: 'dc', language: 'python', code: '1' },
		host,
		(m) => {
			if (first) {
				first = false;
				throw new DOMException('could not be cloned', 'DataCloneError');
			}
			posted.push(m);
		}
	);
	expect(posted).toEqual([
		{
			execlab: 1,
			type: 'result',
			id: 'dc',
			ok: false,
			error: { type: 'ReplyError', message: expect.stringContaining('could not be cloned') }
		}
	]);
});

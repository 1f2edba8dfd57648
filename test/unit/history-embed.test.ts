import { expect, test } from 'vitest';
import { entryOfEvents, type HistoryEntry } from '../../src/core/history/entry.ts';
import { eventsFromTrace } from '../../src/core/trace/trace.ts';
import { createEmbedDispatcher } from '../../src/embed/dispatcher.ts';
import { registerHistoryHandler } from '../../src/embed/history-handler.ts';
import { createOriginPolicy } from '../../src/embed/origin-policy.ts';
import { createEmbedRegistry } from '../../src/embed/registry.ts';
import { recordedTrace } from '../../src/data/traces/index.ts';

// The embed `history` request through the real dispatcher: exactly the contract's fields, only the
// requesting origin's own agent-run traces, strict validation (browser version: history.e2e).

const a = 'https://a.example';
const b = 'https://b.example';
const events = eventsFromTrace(recordedTrace('skyrl-sql'));
const entry = (id: string, source: HistoryEntry['source'], startedAt: string): HistoryEntry => ({
	...entryOfEvents(id, events, source, startedAt),
	startedAt
});
const entries: HistoryEntry[] = [
	entry('ui-1', { kind: 'ui' }, '2026-12-01T10:00:00Z'),
	entry('a-1', { kind: 'embed', origin: a }, '2026-12-01T11:00:00Z'),
	entry('b-1', { kind: 'embed', origin: b }, '2026-12-01T12:00:00Z'),
	{ ...entry('a-2', { kind: 'embed', origin: a }, '2026-12-01T13:00:00Z'), outcome: 'interrupted' },
	entry('imported', { kind: 'ui' }, '2026-12-01T14:00:00Z')
];

function dispatcher(list: () => Promise<HistoryEntry[]>) {
	const registry = createEmbedRegistry();
	registerHistoryHandler(registry, list);
	const { policy } = createOriginPolicy({
		ownOrigin: 'https://execlab.example',
		search: `?embed=1&allowOrigin=${encodeURIComponent(`${a},${b}`)}`
	});
	return createEmbedDispatcher({ registry, policy, debug: () => {} });
}

async function ask(d: ReturnType<typeof dispatcher>, origin: string, data: unknown) {
	const replies: Record<string, unknown>[] = [];
	await d.handle(data, origin, (m) => replies.push(m as Record<string, unknown>));
	expect(replies).toHaveLength(1);
	return replies[0];
}

test('each origin gets only its own agent-run traces, newest first, with exactly the contract fields', async () => {
	const d = dispatcher(async () => entries);
	const forA = await ask(d, a, { execlab: 1, type: 'history', id: 'h1' });
	expect(forA).toEqual({
		execlab: 1,
		type: 'result',
		id: 'h1',
		ok: true,
		traces: [
			{
				id: 'a-2',
				title: entries[3].title,
				preset: 'skyrl-sql',
				model: entries[3].model,
				startedAt: '2026-12-01T13:00:00Z',
				outcome: 'interrupted'
			},
			{
				id: 'a-1',
				title: entries[1].title,
				preset: 'skyrl-sql',
				model: entries[1].model,
				startedAt: '2026-12-01T11:00:00Z',
				outcome: 'success'
			}
		]
	});
	const forB = await ask(d, b, { execlab: 1, type: 'history', id: 7 });
	expect((forB.traces as { id: string }[]).map((t) => t.id)).toEqual(['b-1']);
});

test('extra fields are refused naming them; a failing store answers ok: false', async () => {
	const d = dispatcher(async () => entries);
	const bad = await ask(d, a, { execlab: 1, type: 'history', id: 'h2', origin: b });
	expect(bad).toMatchObject({ ok: false, id: 'h2', error: { type: 'InvalidMessage' } });
	expect((bad.error as { message: string }).message).toMatch(/origin/);
	const broken = dispatcher(() =>
		Promise.reject(new DOMException('The database is gone', 'UnknownError'))
	);
	expect(await ask(broken, a, { execlab: 1, type: 'history', id: 'h3' })).toMatchObject({
		ok: false,
		error: { type: 'UnknownError', message: 'The database is gone' }
	});
});

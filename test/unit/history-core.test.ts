import { describe, expect, test } from 'vitest';
import { exportTraces } from '../../src/core/export/index.ts';
import {
	advanceEntry,
	continuationTrace,
	describeUsage,
	emptyQuery,
	entryOfEvents,
	entryOfStart,
	exportSelected,
	facet,
	isQuotaError,
	lastCompleteTurn,
	nearQuota,
	outcomeOfEvents,
	queryHistory,
	renamed,
	shownOutcome,
	storageProblem,
	titleOfTask,
	type HistoryEntry
} from '../../src/core/history/index.ts';
import type { AgentEvent } from '../../src/core/trace/events.ts';
import { eventsFromTrace } from '../../src/core/trace/trace.ts';
import { readTraceRecord, traceToV2 } from '../../src/core/trace/trace-v2.ts';
import { recordedTrace } from '../../src/data/traces/index.ts';

// The History tab's pure logic on real recorded runs (src/data/traces, recorded through the loop).

const sql = recordedTrace('skyrl-sql');
const py = recordedTrace('python-feedback');
const sqlEvents = eventsFromTrace(sql);
const pyEvents = eventsFromTrace(py);
const now = '2026-12-04T12:00:00.000Z';
const ui = { kind: 'ui' as const };

describe('index entries', () => {
	test('an entry carries the header, turns, reward and outcome of a finished run', () => {
		const e = entryOfEvents('r1', sqlEvents, ui, now);
		expect(e).toMatchObject({
			id: 'r1',
			title: 'school/shared-buildings: Which buildings host more than one department?',
			preset: 'skyrl-sql',
			model: sql.header.provider.model,
			providerKind: sql.header.provider.kind,
			startedAt: sql.header.startedAt,
			updatedAt: now,
			outcome: 'success',
			reward: 1,
			turns: 2,
			events: sqlEvents.length,
			source: ui
		});
	});

	test('entries grow batch by batch exactly as from the whole list', () => {
		const [start, ...rest] = sqlEvents;
		let e = entryOfStart('r1', start as Extract<AgentEvent, { type: 'start' }>, ui, now);
		expect(e.outcome).toBe('running');
		for (let i = 0; i < rest.length; i += 3) e = advanceEntry(e, rest.slice(i, i + 3), now);
		expect(e).toEqual(entryOfEvents('r1', sqlEvents, ui, now));
	});

	test('outcomes: error, user stop, reward below 1, answer without reward, no stop', () => {
		const stop = (reason: string): AgentEvent => ({ type: 'stop', t: 9, reason }) as AgentEvent;
		const head = sqlEvents.filter((e) => e.type !== 'stop' && e.type !== 'reward');
		const reward = (value: number | null): AgentEvent => ({
			type: 'reward',
			t: 8,
			value,
			components: {},
			final: true
		});
		expect(outcomeOfEvents([...head, stop('error')])).toBe('error');
		expect(outcomeOfEvents([...head, stop('user')])).toBe('stopped');
		expect(outcomeOfEvents([...head, reward(0), stop('answer')])).toBe('failure');
		expect(outcomeOfEvents([...head, reward(-1), stop('answer')])).toBe('failure');
		expect(outcomeOfEvents([...head, reward(1), stop('max-turns')])).toBe('success');
		expect(outcomeOfEvents([...head, stop('answer')])).toBe('success');
		expect(outcomeOfEvents([...head, stop('max-turns')])).toBe('failure');
		expect(outcomeOfEvents(head)).toBe('running');
	});

	test('a running entry shows as interrupted once no live page holds it', () => {
		const running = entryOfEvents('r2', sqlEvents.slice(0, 5), ui, now);
		expect(running.outcome).toBe('running');
		expect(shownOutcome(running, () => true)).toBe('running');
		expect(shownOutcome(running, () => false)).toBe('interrupted');
		const done = entryOfEvents('r3', sqlEvents, ui, now);
		expect(shownOutcome(done, () => false)).toBe('success');
	});

	test('titles: id and first line, cut at 80 characters', () => {
		expect(titleOfTask({ description: 'Write f.\nMore.', tests: [] })).toBe('Write f.');
		const long = 'x'.repeat(100);
		expect(titleOfTask({ question: long, db: 'd' })).toBe(`${'x'.repeat(79)}…`);
		expect(titleOfTask({ question: '  ', db: 'd' })).toBe('Untitled run');
	});
});

describe('search, filters, sort, rename', () => {
	const entries: HistoryEntry[] = [
		{ ...entryOfEvents('a', sqlEvents, ui, now), startedAt: '2026-12-01T00:00:00Z' },
		{ ...entryOfEvents('b', pyEvents, ui, now), reward: 0.5, startedAt: '2026-12-03T00:00:00Z' },
		{
			...entryOfEvents('c', sqlEvents.slice(0, 4), ui, now),
			title: 'Zebra run',
			taskText: 'Count the singers',
			model: 'other-model',
			startedAt: '2026-12-02T00:00:00Z'
		}
	];
	const ids = (q: Partial<typeof emptyQuery>) =>
		queryHistory(entries, { ...emptyQuery, ...q }).map((e) => e.id);

	test('newest first by default; oldest, title and reward orders', () => {
		expect(ids({})).toEqual(['b', 'c', 'a']);
		expect(ids({ sort: 'oldest' })).toEqual(['a', 'c', 'b']);
		expect(ids({ sort: 'title' })).toEqual(
			['b', 'a', 'c'].sort((x, y) => titleOf(x).localeCompare(titleOf(y)))
		);
		expect(ids({ sort: 'reward' })).toEqual(['a', 'b', 'c']);
	});
	const titleOf = (id: string) => entries.find((e) => e.id === id)!.title;

	test('free text matches every word in title, task text or model, any case', () => {
		expect(ids({ text: 'BUILDINGS department' })).toEqual(['a']);
		expect(ids({ text: 'zebra' })).toEqual(['c']);
		expect(ids({ text: 'other-model' })).toEqual(['c']);
		expect(ids({ text: 'buildings zebra' })).toEqual([]);
	});

	test('filters by preset, model and outcome', () => {
		expect(ids({ preset: 'python-feedback' })).toEqual(['b']);
		expect(ids({ model: 'other-model' })).toEqual(['c']);
		expect(ids({ outcome: 'running' })).toEqual(['c']);
		expect(facet(entries, 'preset')).toEqual(['python-feedback', 'skyrl-sql']);
	});

	test('rename trims and refuses an empty title', () => {
		expect(renamed(entries[0], '  My   run ').title).toBe('My run');
		expect(() => renamed(entries[0], '   ')).toThrow(/empty/);
	});
});

describe('continuing an interrupted run', () => {
	test('a finished run is kept whole', () => {
		const p = lastCompleteTurn(sqlEvents);
		expect(p).toMatchObject({ ended: true, dropped: 0, turns: 2 });
		expect(p.events).toEqual(sqlEvents);
	});

	test('cut mid-way through the second call: the prefix ends before that call', () => {
		const secondCall = sqlEvents.findLastIndex((e) => e.type === 'call');
		for (const end of [secondCall + 1, secondCall + 2, secondCall + 3, sqlEvents.length - 1]) {
			const p = lastCompleteTurn(sqlEvents.slice(0, end));
			expect(p.events).toEqual(sqlEvents.slice(0, secondCall));
			expect(p.turns).toBe(1);
			expect(p.ended).toBe(false);
			expect(p.dropped).toBe(end - secondCall);
		}
	});

	test('cut during the first turn (call made, no observation): only the start is kept', () => {
		const p = lastCompleteTurn(sqlEvents.slice(0, 4));
		expect(p.events.map((e) => e.type)).toEqual(['start']);
		expect(p.turns).toBe(0);
	});

	test('the continuation trace is the prefix with its outcome recomputed', () => {
		const v2 = traceToV2(sql);
		const secondCall = v2.events.findLastIndex((e) => e.type === 'call');
		const cut = { ...v2, events: v2.events.slice(0, secondCall + 2) };
		const c = continuationTrace(cut);
		expect(c.events).toEqual(v2.events.slice(0, secondCall));
		expect(c.outcome).toMatchObject({ reason: 'interrupted', turns: 1, reward: null });
		expect(readTraceRecord(JSON.parse(JSON.stringify(c)))).toEqual(c);
		expect(continuationTrace(v2)).toBe(v2);
	});
});

describe('export of selected traces', () => {
	const traces = [traceToV2(sql), traceToV2(py)];
	const intercode = traceToV2(recordedTrace('intercode-react'));

	test('each format is exactly what src/core/export gives, with a fitting file name', () => {
		for (const format of ['jsonl', 'leti', 'chat', 'skyrl', 'intercode'] as const) {
			// SkyRL-SQL rows are written for SQL tasks, InterCode logs for the InterCode presets.
			const chosen =
				format === 'skyrl' ? [traces[0]] : format === 'intercode' ? [intercode] : traces;
			const file = exportSelected(chosen, format, now);
			expect(file.text).toBe(exportTraces(chosen, format));
			expect(file.name).toMatch(
				new RegExp(`^execlab-${format}-${chosen.length}-2026-12-04T12-00-00-000Z\\.jsonl?$`)
			);
		}
		expect(exportSelected([traces[0]], 'json', now)).toMatchObject({
			type: 'application/json',
			text: exportTraces([traces[0]], 'json')
		});
	});

	test('nothing selected, JSON for two traces, or a format a task cannot take, is refused with the reason', () => {
		expect(() => exportSelected([traces[1]], 'intercode', now)).toThrow(
			/InterCode logs are written for/
		);
		expect(() => exportSelected([], 'jsonl', now)).toThrow(/Select at least one/);
		expect(() => exportSelected(traces, 'json', now)).toThrow(/holds one trace and 2 are selected/);
	});
});

describe('storage problems are said, never silent', () => {
	test('QuotaExceededError is recognised and says what is kept', () => {
		const e = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		expect(isQuotaError(e)).toBe(true);
		const p = storageProblem(e, 'the run "x"');
		expect(p.quota).toBe(true);
		expect(p.message).toMatch(/storage is full: the run "x" is no longer being saved/);
		expect(p.message).toMatch(/saved before is kept/);
	});

	test('other errors name the failure', () => {
		const p = storageProblem(new DOMException('Disk I/O', 'UnknownError'), 'the new title');
		expect(p).toEqual({ quota: false, message: 'Could not save the new title: Disk I/O' });
		expect(isQuotaError(new Error('nope'))).toBe(false);
	});

	test('usage lines and the near-quota warning', () => {
		expect(describeUsage({ usage: 12_345_678, quota: 1_200_000_000 })).toBe(
			'12.3 MB of 1.2 GB used (1%)'
		);
		expect(describeUsage({ usage: 500, quota: 10_000_000 })).toBe('500 B of 10.0 MB used (<1%)');
		expect(describeUsage(null)).toBeNull();
		expect(nearQuota({ usage: 95, quota: 100 })).toBe(true);
		expect(nearQuota({ usage: 50, quota: 100 })).toBe(false);
	});
});

describe('importing a trace file', () => {
	test('ExecLab JSONL and an InterCode log are both read; the kind is said', async () => {
		const { intercodeLogText } = await import('../../src/core/export/intercode.ts');
		const { readTraceFile } = await import('../../src/core/history/import-file.ts');
		const v2 = traceToV2(recordedTrace('intercode-react'));
		const jsonl = exportTraces([traceToV2(sql), v2], 'jsonl');
		expect(readTraceFile(jsonl)).toMatchObject({ kind: 'execlab', traces: [{}, {}] });
		const log = readTraceFile(intercodeLogText([v2]));
		expect(log.kind).toBe('intercode');
		expect(log.traces).toHaveLength(1);
		expect(log.traces[0].header.presetId).toBe('intercode-react');
	});

	test('a file that is neither names the record and field, and both readings', async () => {
		const { readTraceFile } = await import('../../src/core/history/import-file.ts');
		expect(() => readTraceFile('{"hello": 1}')).toThrow(
			/^record 1: .*read as an InterCode log; as an ExecLab trace: expected "execlab-trace", got undefined/
		);
		expect(() => readTraceFile('{"format": "execlab-trace", "version": 9}')).toThrow(
			'record 1: version: expected 1 or 2, got 9'
		);
	});
});

import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { buildSample } from '../../scripts/make-samples.ts';
import { school } from '../../scripts/samples/school.ts';
import { shop } from '../../scripts/samples/shop.ts';
import pythonTasks from '../../src/data/python-tasks.json' with { type: 'json' };
import { mbppTask } from '../../src/core/datasets/mbpp.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import {
	exportTrace,
	importTrace,
	recordedCalls,
	recordedObservations,
	traceFromEvents
} from '../../src/core/trace/trace.ts';
import type { AgentEvent } from '../../src/core/trace/events.ts';
import { galleryTraces } from '../../src/data/traces/gallery/index.ts';
import { galleryPreview } from '../../src/components/home/gallery-preview.ts';
import { AgentSession } from '../../src/state/agent-session.svelte.ts';
import type { DemoSession } from './helpers/demo-sessions.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { ScriptedProvider } from './helpers/recorded-provider.ts';
import { collect, ofType } from './helpers/run-events.ts';

// The Start tab's gallery (src/data/traces/gallery/*.json): sessions of our own, on our own sample
// databases (`school`, `shop`) and tasks, with model turns written by us. Re-record them with
// `RECORD_TRACES=1 npx vitest run test/unit/gallery-traces.test.ts` after changing a preset on purpose.
const traceFile = (id: string) =>
	new URL(`../../src/data/traces/gallery/${id}.json`, import.meta.url);

const mergeBuggy =
	'def merge_sorted(a, b):\n    out, i, j = [], 0, 0\n    while i < len(a) or j < len(b):\n        if a[i] <= b[j]:\n            out.append(a[i]); i += 1\n        else:\n            out.append(b[j]); j += 1\n    return out';
const mergeFixed =
	'def merge_sorted(a, b):\n    out, i, j = [], 0, 0\n    while i < len(a) and j < len(b):\n        if a[i] <= b[j]:\n            out.append(a[i]); i += 1\n        else:\n            out.append(b[j]); j += 1\n    return out + a[i:] + b[j:]';

const toolCall = (id: string, name: string, args: Record<string, string>) => ({
	id,
	name,
	arguments: JSON.stringify(args)
});

/** The scripted model turns of each gallery session, by gallery id. */
const sessions: Record<string, DemoSession> = {
	'explore-schema': {
		preset: 'skyrl-sql',
		mode: 'completion',
		task: {
			id: 'shop/most-stocked-supplier',
			question: 'Which supplier has the most units in stock across all its products?',
			db: 'shop',
			gold: 'SELECT s.name FROM suppliers s JOIN products p ON p.supplier_id = s.id GROUP BY s.id ORDER BY sum(p.stock) DESC LIMIT 1'
		},
		replies: [
			{
				text: "<think>I do not know this database yet. First the tables.</think>\n<sql>SELECT name FROM sqlite_schema WHERE type = 'table'</sql>"
			},
			{
				text: "<think>Stock is probably on products, and suppliers has the names. Let me see their columns.</think>\n<sql>SELECT 'products' AS tbl, name, type FROM pragma_table_info('products') UNION ALL SELECT 'suppliers', name, type FROM pragma_table_info('suppliers')</sql>"
			},
			{
				text: '<think>products.supplier_id points at suppliers.id and products.stock counts units. I will sum stock per supplier and look at the top rows.</think>\n<sql>SELECT s.name, sum(p.stock) AS units FROM suppliers s JOIN products p ON p.supplier_id = s.id GROUP BY s.id ORDER BY units DESC LIMIT 3</sql>'
			},
			{
				text: '<think>Juniper & Co Supply leads clearly, with no tie at the top.</think>\n<solution>SELECT s.name FROM suppliers s JOIN products p ON p.supplier_id = s.id GROUP BY s.id ORDER BY sum(p.stock) DESC LIMIT 1</solution>'
			}
		]
	},
	'fix-after-traceback': {
		preset: 'python-feedback',
		mode: 'chat',
		task: mbppTask(pythonTasks[6]),
		replies: [
			{ text: `Two pointers, one over each list.\n<answer>\n${mergeBuggy}\n</answer>` },
			{
				text: `The IndexError comes from reading a[i] after a is used up: the loop must stop when either list ends, and the rest of the other list goes on the end. Let me check that on the examples.\n<python>\n${mergeFixed}\n\nprint(merge_sorted([1, 4, 9], [2, 3, 10]), merge_sorted([], [1]), merge_sorted([2, 2], [2]))\n</python>`
			},
			{ text: `All three examples give the expected lists.\n<answer>\n${mergeFixed}\n</answer>` }
		]
	},
	'react-orders': {
		preset: 'intercode-react',
		mode: 'completion',
		task: {
			id: 'shop/cancelled-orders',
			question: 'How many orders were cancelled?',
			db: 'shop',
			gold: "SELECT count(*) FROM orders WHERE status = 'cancelled'"
		},
		replies: [
			{ text: ' I need to find the table with orders.\nAction 1: execute[SHOW TABLES]' },
			{
				text: ' There is an orders table. I should see its columns.\nAction 2: execute[DESC orders]'
			},
			{
				text: ' The status column should say which orders were cancelled. Let me see its values.\nAction 3: execute[SELECT status, count(*) FROM orders GROUP BY status]'
			},
			{
				text: " 'cancelled' is one of the statuses. I will count those orders.\nAction 4: execute[SELECT count(*) FROM orders WHERE status = 'cancelled']"
			},
			{ text: ' 497 orders were cancelled. This answers the question.\nAction 5: submit' }
		]
	},
	'recover-from-error': {
		preset: 'tools',
		mode: 'chat',
		task: {
			id: 'school/science-salary',
			question: 'What is the average salary of the teachers in the Science department?',
			db: 'school',
			gold: "SELECT avg(t.salary) FROM teachers t JOIN departments d ON d.id = t.department_id WHERE d.name = 'Science'"
		},
		replies: [
			{
				text: 'A filter on the teachers table should do.',
				toolCalls: [
					toolCall('call_1', 'run_sql', {
						query: "SELECT avg(salary) FROM teachers WHERE department = 'Science'"
					})
				]
			},
			{
				text: 'There is no department column. Let me look at the columns of teachers.',
				toolCalls: [
					toolCall('call_2', 'run_sql', {
						query: "SELECT name, type FROM pragma_table_info('teachers')"
					})
				]
			},
			{
				text: 'Teachers have a department_id; the names are in departments. A join fixes it.',
				toolCalls: [
					toolCall('call_3', 'run_sql', {
						query:
							"SELECT avg(t.salary) FROM teachers t JOIN departments d ON d.id = t.department_id WHERE d.name = 'Science'"
					})
				]
			},
			{
				text: '',
				toolCalls: [
					toolCall('call_4', 'submit', {
						answer:
							"SELECT avg(t.salary) FROM teachers t JOIN departments d ON d.id = t.department_id WHERE d.name = 'Science'"
					})
				]
			}
		]
	}
};

let ex: NodeRuntime;

beforeAll(async () => {
	ex = await nodeRuntime({ python: true });
	const SQL = await initSqlJs();
	ex.sqlEngine.open('school', buildSample(SQL, school).bytes);
	ex.sqlEngine.open('shop', buildSample(SQL, shop).bytes);
});

const rewards = (es: AgentEvent[]) => es.flatMap((e) => (e.type === 'reward' ? [e.value] : []));

describe('gallery traces replay through the real loop with identical observations', () => {
	test('the index lists one file per scripted session, each with a title, story, preset and kind', () => {
		expect(galleryTraces.map((g) => g.id).sort()).toEqual(Object.keys(sessions).sort());
		for (const g of galleryTraces) {
			expect(g.title.length, g.id).toBeGreaterThan(5);
			expect(g.story.length, g.id).toBeGreaterThan(20);
			const trace = g.load();
			expect(trace.header.presetId, g.id).toBe(g.preset);
			expect(trace.header.presetId, g.id).toBe(sessions[g.id].preset);
			expect(g.kind, g.id).toBe('db' in trace.header.task ? 'sql' : 'python');
		}
	});

	test.runIf(process.env.RECORD_TRACES === '1')('record the gallery sessions', async () => {
		for (const [id, s] of Object.entries(sessions)) {
			const events = await collect({
				provider: new ScriptedProvider(s.replies),
				runtime: ex,
				preset: getPreset(s.preset),
				task: s.task,
				mode: s.mode,
				engines: ex.engines
			});
			const trace = traceFromEvents(events);
			// Only a recording that solves its task and reads back unchanged is worth bundling.
			expect(ofType(events, 'reward').at(-1)?.value, id).toBe(1);
			expect(importTrace(exportTrace(trace))).toEqual(trace);
			writeFileSync(traceFile(id), exportTrace(trace) + '\n');
		}
	});

	test.each(Object.keys(sessions).map((id) => [id] as const))('%s', async (id) => {
		const trace = importTrace(readFileSync(traceFile(id), 'utf8'));
		const calls = recordedCalls(trace);
		const events = await collect({
			provider: new ScriptedProvider(calls, { chunk: 5 }),
			runtime: ex,
			preset: getPreset(trace.header.presetId as DemoSession['preset']),
			task: trace.header.task,
			mode: trace.header.mode,
			template: trace.header.template
		});
		expect(ofType(events, 'observation').map((o) => ({ status: o.status, text: o.text }))).toEqual(
			recordedObservations(trace)
		);
		expect(rewards(events)).toEqual(rewards(trace.events));
		expect(ofType(events, 'reward').at(-1)?.value).toBe(1);
		const start = events[0];
		if (start.type !== 'start') throw new Error('no start event');
		expect(start.header.prompt).toEqual(trace.header.prompt);
	});

	test('each session tells the story its card promises', () => {
		const observations = (id: string) =>
			recordedObservations(importTrace(readFileSync(traceFile(id), 'utf8')));
		// Explores the schema (tables, then columns) before its answer.
		const explore = observations('explore-schema');
		expect(explore[0].text).toContain('suppliers');
		expect(explore[1].text).toContain('supplier_id');
		expect(explore.every((o) => o.status === 'ok')).toBe(true);
		// The first answer raises; the traceback is fed back; the fixed code runs.
		const fix = observations('fix-after-traceback');
		expect(fix[0].status).toBe('error');
		expect(fix[0].text).toMatch(/Traceback[\s\S]*IndexError/);
		expect(fix[1].status).toBe('ok');
		expect(fix[1].text).toContain('[1, 2, 3, 4, 9, 10]');
		// The first query fails with SQLite's error; the next ones succeed.
		const recover = observations('recover-from-error');
		expect(recover[0].status).toBe('error');
		expect(recover[0].text).toContain('no such column: department');
		expect(recover.slice(1).every((o) => o.status === 'ok')).toBe(true);
		expect(observations('react-orders').at(-2)?.text).toContain('497');
	});

	// The path a card's button takes: the Agent tab's session opens the trace and runs it.
	test.each(galleryTraces.map((g) => [g.id, g] as const))(
		'%s opens in the Agent tab session and replays with no divergence',
		async (_id, g) => {
			const session = new AgentSession({
				runtime: ex,
				async ensureDb(db) {
					if (!ex.sqlEngine.list().includes(db)) throw new Error(`no database ${db}`);
				},
				engines: async () => ex.engines
			});
			session.replayControl.pace = 0;
			// A divergence ends the run at once instead of waiting for a person's choice.
			session.replayControl.stopAtDivergence = true;
			const trace = g.load();
			expect(session.openTrace(trace, { title: g.title, mode: 'replay' })).toBe(true);
			await session.run();
			expect(session.problem).toBe('');
			expect(session.replayControl.divergences).toEqual([]);
			expect(recordedObservations(session.lastTrace!)).toEqual(recordedObservations(trace));
			expect(rewards(session.lastTrace!.events)).toEqual(rewards(trace.events));
		}
	);

	test('card previews show the first turns: what the model did and what came back', () => {
		const g = galleryTraces.find((t) => t.id === 'recover-from-error');
		if (!g) throw new Error('no recover-from-error card');
		const preview = galleryPreview(g.load(), 2);
		expect(preview).toHaveLength(2);
		expect(preview[0]).toMatchObject({ kind: 'sql', status: 'error' });
		expect(preview[0].code).toContain('department');
		expect(preview[0].result).toContain('no such column');
		expect(preview[1].status).toBe('ok');
	});
});

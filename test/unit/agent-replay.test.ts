import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { buildSample } from '../../scripts/make-samples.ts';
import { school } from '../../scripts/samples/school.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import {
	recordedCalls,
	recordedObservations,
	traceFromEvents,
	exportTrace,
	importTrace
} from '../../src/core/trace/trace.ts';
import { toIntercodeLog } from '../../src/core/export/intercode.ts';
import { traceToV2 } from '../../src/core/trace/trace-v2.ts';
import type { AgentEvent } from '../../src/core/trace/events.ts';
import { demoSessions } from './helpers/demo-sessions.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { ScriptedProvider } from './helpers/recorded-provider.ts';
import { collect, ofType } from './helpers/run-events.ts';

// The bundled recorded sessions (src/data/traces/*.json), one per preset. Re-record them with
// `RECORD_TRACES=1 npx vitest run test/unit/agent-replay.test.ts` after changing a preset on purpose.
const traceFile = (preset: string) =>
	new URL(`../../src/data/traces/${preset}.json`, import.meta.url);
let ex: NodeRuntime;

beforeAll(async () => {
	ex = await nodeRuntime({ python: true });
	ex.sqlEngine.open('school', buildSample(await initSqlJs(), school).bytes);
});

describe('recorded sessions replay through the real loop with identical observations', () => {
	test.runIf(process.env.RECORD_TRACES === '1')('record the demo sessions', async () => {
		for (const s of demoSessions) {
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
			expect(ofType(events, 'reward').at(-1)?.value, s.preset).toBe(1);
			expect(importTrace(exportTrace(trace))).toEqual(trace);
			writeFileSync(traceFile(s.preset), exportTrace(trace) + '\n');
		}
	});

	test.each(demoSessions.map((s) => [s.preset] as const))('%s', async (presetId) => {
		const trace = importTrace(readFileSync(traceFile(presetId), 'utf8'));
		expect(trace.header.presetId).toBe(presetId);
		const calls = recordedCalls(trace);
		const provider = new ScriptedProvider(calls, { chunk: 5 });
		const events = await collect({
			provider,
			runtime: ex,
			preset: getPreset(presetId),
			task: trace.header.task,
			mode: trace.header.mode,
			template: trace.header.template
		});
		expect(ofType(events, 'observation').map((o) => ({ status: o.status, text: o.text }))).toEqual(
			recordedObservations(trace)
		);
		const rewards = (es: AgentEvent[]) => es.flatMap((e) => (e.type === 'reward' ? [e.value] : []));
		expect(rewards(events)).toEqual(rewards(trace.events));
		expect(ofType(events, 'reward').at(-1)?.value).toBe(1);
		const start = events[0];
		if (start.type !== 'start') throw new Error('no start event');
		expect(start.header.prompt).toEqual(trace.header.prompt);
	});

	test("a recorded ReAct session exports as eval_react.py's episode", () => {
		const trace = importTrace(readFileSync(traceFile('intercode-react'), 'utf8'));
		const episode = toIntercodeLog(traceToV2(trace), { taskId: 3 });
		expect(episode).toMatchObject({
			environment: 'ic_sql',
			task_id: 3,
			query: 'How many students are there?',
			summary: { max_reward: 1 }
		});
		const h = episode.turn_history;
		expect(h.actions).toEqual([
			'execute[SHOW TABLES]',
			'execute[SELECT count(*) FROM students]',
			'submit'
		]);
		expect(h.observations.slice(1)).toEqual(['[(600,)]', '[(600,)]']);
		expect(h.rewards).toEqual([0, 0, 1]);
	});

	test('a trace that is not one is refused with the path of the problem', () => {
		expect(() =>
			importTrace('{"format":"execlab-trace","version":1,"header":{},"events":[]}')
		).toThrow(/Not an ExecLab trace: header/);
	});
});

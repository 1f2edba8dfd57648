import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildSample } from '../../scripts/make-samples.ts';
import { school } from '../../scripts/samples/school.ts';
import { replayTurnsFromTrace } from '../../src/core/agent/replay-turns.ts';
import { runAgent } from '../../src/core/agent/loop.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import type { AgentEvent } from '../../src/core/trace/events.ts';
import { recordedTrace } from '../../src/data/traces/index.ts';
import { ReplayControl } from '../../src/state/replay-control.svelte.ts';
import { createReplayPlan } from '../../src/state/replay-plan.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

// The Agent tab's replay plan (src/state/replay-plan.ts, replay-control.svelte.ts) driving the real
// loop on real sql.js: step by step, a divergence that waits for the user's choice, stop at first.

const trace = recordedTrace('skyrl-sql');
let ex: NodeRuntime;
let schoolBytes: Uint8Array;
let alteredBytes: Uint8Array;

beforeAll(async () => {
	ex = await nodeRuntime();
	schoolBytes = buildSample(await initSqlJs(), school).bytes;
	await ex.sql.open('scratch', schoolBytes);
	await ex.sql.exec("UPDATE departments SET building = 'Lab Wing' WHERE building = 'Gymnasium'", {
		db: 'scratch'
	});
	alteredBytes = await ex.sql.exportBytes('scratch');
});

/** Starts a replay of the bundled trace through a plan; events arrive in `events` as they come. */
function start(control: ReplayControl, db: Uint8Array) {
	const events: AgentEvent[] = [];
	const notes: string[] = [];
	const controller = new AbortController();
	const plan = createReplayPlan({
		source: { title: 't', turns: replayTurnsFromTrace(trace), trace },
		control,
		onNote: (n) => notes.push(n),
		abort: () => controller.abort()
	});
	const done = (async () => {
		await ex.sql.open('school', db);
		for await (const event of runAgent({
			provider: plan.provider,
			runtime: ex,
			preset: getPreset(trace.header.presetId),
			task: trace.header.task,
			mode: trace.header.mode,
			template: trace.header.template,
			signal: controller.signal
		})) {
			events.push(event);
			plan.observe(event);
		}
		const stop = events.findLast((e) => e.type === 'stop');
		plan.finish(stop?.type === 'stop' ? stop.reason : null);
		control.settle();
	})();
	return { events, notes, done, controller };
}

/** Waits until `check` holds (polling the event loop). */
async function until(check: () => boolean): Promise<void> {
	for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
	expect(check()).toBe(true);
}

describe('the replay plan', () => {
	test('step by step: no model turn plays until Next, then exactly one', async () => {
		const control = new ReplayControl();
		control.step = true;
		control.pace = 0;
		const run = start(control, schoolBytes);
		await until(() => control.waiting === 'next');
		await new Promise((r) => setTimeout(r, 30));
		expect(run.events.filter((e) => e.type === 'text')).toHaveLength(0);
		control.next();
		await until(() => control.waiting === 'next');
		expect(run.events.filter((e) => e.type === 'action')).toHaveLength(1);
		expect(run.events.filter((e) => e.type === 'answer')).toHaveLength(0);
		control.next();
		await run.done;
		expect(run.events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
		expect(run.notes).toEqual(['Replayed: every observation matched the recording.']);
	});

	test('a divergence waits for the choice; Continue goes on and the replay ends with it counted', async () => {
		const control = new ReplayControl();
		control.pace = 0;
		const run = start(control, alteredBytes);
		await until(() => control.waiting === 'divergence');
		expect(control.divergences).toHaveLength(1);
		const [marked] = control.divergences;
		expect(marked.divergence.action).toBe(0);
		expect(control.divergenceOf(marked.event)).toBe(marked.divergence);
		await new Promise((r) => setTimeout(r, 30));
		// Held: the second model call has been asked for but has produced nothing.
		expect(run.events.filter((e) => e.type === 'call-end')).toHaveLength(1);
		expect(run.events.filter((e) => e.type === 'text')).toHaveLength(1);
		control.choose('continue');
		await run.done;
		expect(run.events.filter((e) => e.type === 'call-end')).toHaveLength(2);
		expect(run.notes.at(-1)).toMatch(/^Replayed with \d+ divergences? from the recording\.$/);
	});

	test('Stop at a divergence ends the run as stopped by the user', async () => {
		const control = new ReplayControl();
		control.pace = 0;
		const run = start(control, alteredBytes);
		await until(() => control.waiting === 'divergence');
		control.choose('stop');
		run.controller.abort();
		await run.done;
		expect(run.events.at(-1)).toMatchObject({ type: 'stop', reason: 'user' });
		expect(control.waiting).toBeNull();
	});

	test('stop at first divergence: the plan stops the run itself and says where', async () => {
		const control = new ReplayControl();
		control.pace = 0;
		control.stopAtDivergence = true;
		const run = start(control, alteredBytes);
		await run.done;
		expect(run.controller.signal.aborted).toBe(true);
		expect(run.events.at(-1)).toMatchObject({ type: 'stop', reason: 'user' });
		expect(control.divergences).toHaveLength(1);
		expect(run.notes).toEqual(['Stopped at the first divergence (action 1).']);
	});
});

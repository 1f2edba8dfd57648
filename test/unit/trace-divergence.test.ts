import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildSample } from '../../scripts/make-samples.ts';
import { school } from '../../scripts/samples/school.ts';
import { replayTurnsFromTrace } from '../../src/core/agent/replay-turns.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import {
	completeCallCount,
	ReplayThenLiveProvider
} from '../../src/core/providers/replay-then-live.ts';
import {
	compareObservation,
	DivergenceTracker,
	expectedObservations,
	observationDiff
} from '../../src/core/trace/divergence.ts';
import type { AgentEvent } from '../../src/core/trace/events.ts';
import { recordedTrace } from '../../src/data/traces/index.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { ScriptedProvider } from './helpers/recorded-provider.ts';
import { collect, ofType } from './helpers/run-events.ts';

const trace = recordedTrace('skyrl-sql');
let ex: NodeRuntime;
let schoolBytes: Uint8Array;

beforeAll(async () => {
	ex = await nodeRuntime();
	schoolBytes = buildSample(await initSqlJs(), school).bytes;
});

/** Replays the bundled SkyRL-SQL trace on `school` as it is in `db`, following divergences. */
async function replayOn(
	db: Uint8Array,
	provider = new ReplayThenLiveProvider({ turns: replayTurnsFromTrace(trace) })
) {
	await ex.sql.open('school', db);
	const tracker = new DivergenceTracker(trace.events);
	const live: { event: AgentEvent; divergence: unknown }[] = [];
	const events = await collect({
		provider,
		runtime: ex,
		preset: getPreset(trace.header.presetId),
		task: trace.header.task,
		mode: trace.header.mode,
		template: trace.header.template
	});
	for (const event of events) live.push({ event, divergence: tracker.observe(event) });
	const stop = ofType(events, 'stop').at(-1)?.reason ?? null;
	return { events, live, divergences: tracker.finish(stop) };
}

describe('comparing observations', () => {
	test('equal means the exact same text: one changed character, or trailing space, diverges', () => {
		expect(compareObservation(0, 'a\nb', 'a\nb')).toBeNull();
		expect(compareObservation(2, 'a\nb', 'a\nc')).toEqual({
			action: 2,
			expected: 'a\nb',
			actual: 'a\nc'
		});
		expect(compareObservation(0, 'a', 'a ')).not.toBeNull();
		expect(compareObservation(1, 'a', null)).toEqual({ action: 1, expected: 'a', actual: null });
	});

	test('the diff is by line: shared lines once, the changed line removed then added', () => {
		expect(observationDiff('x\ny\nz\n', 'x\nY\nz\n')).toEqual([
			{ kind: 'same', text: 'x\n' },
			{ kind: 'removed', text: 'y\n' },
			{ kind: 'added', text: 'Y\n' },
			{ kind: 'same', text: 'z\n' }
		]);
		expect(observationDiff('only\n', null)).toEqual([{ kind: 'removed', text: 'only\n' }]);
	});

	test('the tracker compares by position and, at the end, counts observations never reached', () => {
		const obs = (text: string): AgentEvent => ({
			type: 'observation',
			t: 0,
			turn: 0,
			status: 'ok',
			text,
			truncated: false,
			result: {},
			durationMs: 1
		});
		const recorded = [obs('one'), obs('two'), obs('three')];
		expect(expectedObservations(recorded)).toEqual(['one', 'two', 'three']);
		const t = new DivergenceTracker(recorded);
		expect(t.observe({ type: 'stop', t: 0, reason: 'answer' })).toBeNull();
		expect(t.observe(obs('one'))).toBeNull();
		expect(t.observe(obs('TWO'))).toEqual({ action: 1, expected: 'two', actual: 'TWO' });
		expect(t.finish('answer')).toEqual([
			{ action: 1, expected: 'two', actual: 'TWO' },
			{ action: 2, expected: 'three', actual: null }
		]);
		const stopped = new DivergenceTracker(recorded);
		stopped.observe(obs('one'));
		expect(stopped.finish('user')).toEqual([]);
	});
});

describe('replaying a recorded trace with live execution (real sql.js)', () => {
	test('on the database it was recorded on: no divergence, same reward', async () => {
		const { events, divergences } = await replayOn(schoolBytes);
		expect(divergences).toEqual([]);
		expect(ofType(events, 'observation').length).toBe(expectedObservations(trace.events).length);
		expect(ofType(events, 'reward').at(-1)?.value).toBe(1);
	});

	test('on a deliberately altered database: the first observation diverges, with a readable diff', async () => {
		const altered = await ex.sql.open('altered', schoolBytes).then(async () => {
			await ex.sql.exec(
				"UPDATE departments SET building = 'Lab Wing' WHERE building = 'Gymnasium'",
				{ db: 'altered' }
			);
			return ex.sql.exportBytes('altered');
		});
		const { live, divergences } = await replayOn(altered);
		expect(divergences.length).toBeGreaterThan(0);
		const [first] = divergences;
		expect(first.action).toBe(0);
		expect(first.expected).toContain('Gymnasium  1');
		expect(first.actual).not.toContain('Gymnasium');
		expect(first.actual).toContain('Lab Wing  3');
		// Reported as it happened, on the observation event itself.
		expect(live.find((l) => l.divergence)?.event.type).toBe('observation');
		const diff = observationDiff(first.expected, first.actual);
		expect(
			diff
				.filter((p) => p.kind === 'removed')
				.map((p) => p.text)
				.join('')
		).toContain('Gymnasium  1');
		expect(
			diff
				.filter((p) => p.kind === 'added')
				.map((p) => p.text)
				.join('')
		).toContain('Lab Wing  3');
	});
});

describe('replay then live', () => {
	test('a trace cut mid-run continues after its last complete call: recorded turns, then the live model', async () => {
		const cutAt = trace.events.findIndex((e) => e.type === 'call' && e.call === 2);
		expect(cutAt).toBeGreaterThan(0);
		// The second call started but never ended: a crash or a reload mid-stream.
		const cut = trace.events.slice(0, cutAt + 2);
		expect(completeCallCount(trace.events)).toBe(ofType(trace.events, 'call').length);
		expect(completeCallCount(cut)).toBe(1);
		const recorded = replayTurnsFromTrace(trace).slice(0, completeCallCount(cut));
		const answer =
			'<think>Lab Wing and West Hall.</think>\n<solution>SELECT building FROM departments GROUP BY building HAVING count(*) > 1</solution>';
		const live = new ScriptedProvider([answer]);
		const gated: number[] = [];
		const provider = new ReplayThenLiveProvider({
			turns: recorded,
			live,
			gate: async (turn) => void gated.push(turn)
		});
		expect(provider.kind).toBe(live.kind);
		const { events, divergences } = await replayOn(schoolBytes, provider);
		expect(gated).toEqual([0, 1]);
		expect(live.requests).toHaveLength(1);
		// The live model got the whole conversation, the replayed turn and its observation included.
		const prompt = live.requests[0].prompt ?? '';
		expect(prompt).toContain(recorded[0].text);
		expect(prompt).toContain(expectedObservations(trace.events)[0]);
		expect(ofType(events, 'reward').at(-1)?.value).toBe(1);
		expect(divergences).toEqual([]);
	});

	test('without a live provider, a run that goes further than the recording ends in the Replay error', async () => {
		const provider = new ReplayThenLiveProvider({ turns: replayTurnsFromTrace(trace).slice(0, 1) });
		const { events } = await replayOn(schoolBytes, provider);
		expect(ofType(events, 'error').at(-1)?.message).toMatch(/has no turn #2/);
	});
});

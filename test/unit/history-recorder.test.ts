import { beforeAll, expect, test } from 'vitest';
import {
	recorderPrepareMs,
	runAgentService,
	type AgentEnvironment,
	type AgentRunSpec,
	type RunRecorder,
	type RunSource
} from '../../src/core/agent/agent-run.ts';
import { entryOfEvents } from '../../src/core/history/entry.ts';
import type { AgentEvent } from '../../src/core/trace/events.ts';
import { registerAgentHandlers } from '../../src/embed/agent-handlers.ts';
import { createEmbedDispatcher } from '../../src/embed/dispatcher.ts';
import { createOriginPolicy } from '../../src/embed/origin-policy.ts';
import { createEmbedRegistry } from '../../src/embed/registry.ts';
import { choirBytes, choirFacts } from '../fixtures/choir-db.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

// The recorder seam of the agent-run service (AgentEnvironment.recorder): every event reaches the
// recorder as it happens, before the caller sees it and before the run's next step; a failing
// recorder never breaks a run; embed runs are recorded with the requesting origin. Real loop, real
// sql.js, the Replay provider playing a scripted model.

let runtime: NodeRuntime;
const task = {
	question: 'Wie viele Sänger haben wir?',
	db: choirFacts.db,
	gold: 'SELECT count(*) FROM sänger'
};
const turns = [
	{ text: '<think>Zählen.</think>\n<sql>SELECT count(*) FROM sänger</sql>' },
	{ text: '<think>Sechs.</think>\n<solution>SELECT count(*) FROM sänger</solution>' }
];

beforeAll(async () => {
	runtime = await nodeRuntime();
	runtime.sqlEngine.open(choirFacts.db, await choirBytes());
});

function envWith(recorder?: RunRecorder): AgentEnvironment {
	return {
		runtime,
		async ensureDb() {},
		engines: async () => runtime.engines,
		...(recorder ? { recorder } : {})
	};
}

const spec = (extra: Partial<AgentRunSpec> = {}): AgentRunSpec => ({
	presetId: 'skyrl-sql',
	task,
	provider: { kind: 'replay', turns, model: 'scripted' },
	mode: 'completion',
	...extra
});

/** A recorder that logs what it is given, interleaved with what the caller sees. */
function loggingRecorder(log: string[], opened: RunSource[]): RunRecorder {
	return {
		open(source) {
			opened.push(source);
			log.push('open');
			return { write: (e) => void log.push(`rec ${e.type}`), close: () => void log.push('close') };
		}
	};
}

test('every event goes to the recorder first, in order; the run is opened once as ui and closed after its last event', async () => {
	const log: string[] = [];
	const opened: RunSource[] = [];
	const outcome = await runAgentService(spec(), envWith(loggingRecorder(log, opened)), (e) =>
		log.push(`see ${e.type}`)
	);
	if (outcome.refused) throw new Error('refused');
	const types = outcome.events.map((e) => e.type);
	expect(types[0]).toBe('start');
	expect(types.at(-1)).toBe('stop');
	expect(log).toEqual(['open', ...types.flatMap((t) => [`rec ${t}`, `see ${t}`]), 'close']);
	expect(opened).toEqual([{ kind: 'ui' }]);
	// What was recorded makes the same index entry as the outcome's events.
	expect(entryOfEvents('x', outcome.events, opened[0], 'now')).toMatchObject({
		outcome: 'success',
		turns: 2,
		preset: 'skyrl-sql',
		model: 'scripted'
	});
});

test('a recorder that throws on open, write or close never breaks the run; each failure is reported', async () => {
	const baseline = await runAgentService(spec(), envWith());
	if (baseline.refused) throw new Error('refused');
	const kinds = (events: AgentEvent[]) => events.map((e) => e.type);

	const errors: unknown[] = [];
	const failingOpen: RunRecorder = {
		open() {
			throw new DOMException('no room', 'QuotaExceededError');
		},
		onError: (e) => errors.push(e)
	};
	const a = await runAgentService(spec(), envWith(failingOpen));
	if (a.refused) throw new Error('refused');
	expect(kinds(a.events)).toEqual(kinds(baseline.events));
	expect(a.stopReason).toBe('answer');
	expect(errors).toHaveLength(1);
	expect((errors[0] as DOMException).name).toBe('QuotaExceededError');

	errors.length = 0;
	const failingWrite: RunRecorder = {
		open: () => ({
			write() {
				throw new Error('disk gone');
			},
			close() {
				throw new Error('still gone');
			}
		}),
		onError(e) {
			errors.push(e);
			throw new Error('the report channel fails too');
		}
	};
	const b = await runAgentService(spec(), envWith(failingWrite));
	if (b.refused) throw new Error('refused');
	expect(kinds(b.events)).toEqual(kinds(baseline.events));
	expect(b.reward).toBe(baseline.reward);
	expect(errors).toHaveLength(b.events.length + 1);
});

test('a refused run (task kind) opens nothing; a given source is passed through', async () => {
	const log: string[] = [];
	const opened: RunSource[] = [];
	const refused = await runAgentService(
		spec({ task: { description: 'x', tests: [] } }),
		envWith(loggingRecorder(log, opened))
	);
	expect(refused.refused).toBe('task-kind');
	expect(log).toEqual([]);
	await runAgentService(
		spec({ source: { kind: 'embed', origin: 'https://a.example' } }),
		envWith(loggingRecorder(log, opened))
	);
	expect(opened).toEqual([{ kind: 'embed', origin: 'https://a.example' }]);
});

test("an embed agent-run is recorded as the requesting origin's", async () => {
	const host = 'https://host.example';
	const opened: RunSource[] = [];
	const log: string[] = [];
	const registry = createEmbedRegistry();
	registerAgentHandlers(registry, envWith(loggingRecorder(log, opened)));
	const { policy } = createOriginPolicy({
		ownOrigin: 'https://execlab.example',
		search: `?embed=1&allowOrigin=${encodeURIComponent(host)}`
	});
	const dispatcher = createEmbedDispatcher({ registry, policy, debug: () => {} });
	const replies: { type: string; ok?: boolean }[] = [];
	await dispatcher.handle(
		{
			execlab: 1,
			type: 'agent-run',
			id: 'r1',
			provider: { kind: 'replay', turns },
			preset: 'skyrl-sql',
			mode: 'completion',
			task
		},
		host,
		(m) => replies.push(m as { type: string; ok?: boolean })
	);
	expect(replies.at(-1)).toMatchObject({ type: 'result', ok: true });
	expect(opened).toEqual([{ kind: 'embed', origin: host }]);
	expect(log.at(-1)).toBe('close');
});

test('a recorder is prepared before the run starts; one that never gets ready delays it at most recorderPrepareMs, one that fails is reported', async () => {
	const log: string[] = [];
	const opened: RunSource[] = [];
	const ready: RunRecorder = {
		...loggingRecorder(log, opened),
		prepare: async () => void log.push('prepared')
	};
	await runAgentService(spec(), envWith(ready));
	expect(log.slice(0, 3)).toEqual(['prepared', 'open', 'rec start']);

	const errors: unknown[] = [];
	const never: RunRecorder = {
		...loggingRecorder([], []),
		prepare: () => new Promise(() => {}),
		onError: (e) => errors.push(e)
	};
	const began = Date.now();
	const slow = await runAgentService(spec(), envWith(never));
	expect(slow.refused).toBeUndefined();
	expect(Date.now() - began).toBeGreaterThanOrEqual(recorderPrepareMs - 50);
	expect(errors).toEqual([]);

	const failing: RunRecorder = {
		...loggingRecorder([], []),
		prepare: () => Promise.reject(new Error('no database')),
		onError: (e) => errors.push(e)
	};
	const c = await runAgentService(spec(), envWith(failing));
	expect(c.refused === undefined && c.stopReason).toBe('answer');
	expect(errors.map(String)).toEqual(['Error: no database']);
});

import initSqlJs from 'sql.js';
import { beforeAll, expect, test } from 'vitest';
import { buildSample } from '../../scripts/make-samples.ts';
import { school } from '../../scripts/samples/school.ts';
import type { AgentEnvironment } from '../../src/core/agent/agent-run.ts';
import { traceToV2 } from '../../src/core/trace/trace-v2.ts';
import { recordedTrace } from '../../src/data/traces/index.ts';
import { AgentSession } from '../../src/state/agent-session.svelte.ts';
import { useOpenAiServers } from '../fixtures/use-openai-servers.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';

// The Agent tab's session (AgentSession) opening traces the way History and share links do, on the
// real loop and sql.js: a replay, and a continued trace whose live part is a scripted OpenAI server.

const trace = recordedTrace('skyrl-sql');
const server = useOpenAiServers();
let runtime: NodeRuntime;
let env: AgentEnvironment;

beforeAll(async () => {
	runtime = await nodeRuntime();
	runtime.sqlEngine.open('school', buildSample(await initSqlJs(), school).bytes);
	env = {
		runtime,
		async ensureDb(db) {
			if (!runtime.sqlEngine.list().includes(db)) throw new Error(`no database ${db}`);
		},
		engines: async () => runtime.engines
	};
});

test('openTrace(replay) fills the form from the trace and Run replays it with no divergence', async () => {
	const session = new AgentSession(env);
	session.replayControl.pace = 0;
	expect(session.openTrace(traceToV2(trace), { title: 'from history', mode: 'replay' })).toBe(true);
	expect(session.settings.kind).toBe('replay');
	expect(session.settings.presetId).toBe(trace.header.presetId);
	expect(session.draft.toTask()).toMatchObject({
		question: (trace.header.task as { question: string }).question
	});
	await session.run();
	expect(session.problem).toBe('');
	expect(session.replayControl.divergences).toEqual([]);
	expect(session.status).toBe('Replayed: every observation matched the recording.');
	const actions = (t: typeof trace) => t.events.filter((e) => e.type === 'action');
	expect(actions(session.lastTrace!).map((a) => a.code)).toEqual(actions(trace).map((a) => a.code));
	// The share link of the run's trace fits.
	expect(session.shareTrace('https://execlab.example/')).toMatchObject({ ok: true });
});

test('openTrace(continue) on a trace cut mid-call: its complete turn replays, then the live provider answers', async () => {
	const cutAt = trace.events.findIndex((e) => e.type === 'call' && e.call === 2);
	const cut = { ...trace, events: trace.events.slice(0, cutAt + 2) };
	const live = await server([
		{
			chunks: [
				'<think>Lab Wing and West Hall.</think>\n<solution>SELECT building FROM departments GROUP BY building HAVING count(*) > 1</solution>'
			]
		}
	]);
	const session = new AgentSession(env);
	session.replayControl.pace = 0;
	session.settings.kind = 'openai';
	session.settings.connections.openai = { baseUrl: live.url, model: 'live-model' };
	expect(session.openTrace(cut, { title: 'interrupted run', mode: 'continue' })).toBe(true);
	expect(session.settings.kind).toBe('openai');
	expect(session.replay?.turns).toHaveLength(1);
	await session.run();
	expect(session.problem).toBe('');
	expect(live.requests).toHaveLength(1);
	const sent = JSON.stringify(live.requests[0].body);
	// The live model sees the replayed turn and its live observation.
	expect(sent).toContain('SELECT building, count(*) FROM departments GROUP BY building');
	const result = session.lastTrace!;
	expect(result.header.provider).toEqual({ kind: 'openai', model: 'live-model' });
	expect(result.events.filter((e) => e.type === 'call')).toHaveLength(2);
	expect(result.events.at(-1)).toMatchObject({ type: 'stop', reason: 'answer' });
	expect(session.replayControl.divergences).toEqual([]);
});

test('a session busy with a run refuses to open another trace', async () => {
	const session = new AgentSession(env);
	session.replayControl.pace = 0;
	session.replayControl.step = true;
	session.openTrace(trace, { title: 'a', mode: 'replay' });
	const running = session.run();
	expect(session.openTrace(trace, { title: 'b', mode: 'replay' })).toBe(false);
	expect(session.problem).toMatch(/Stop the running session/);
	session.stop();
	await running;
	expect(session.transcript.stopped?.reason).toBe('user');
});

test('setOpenMode switches an opened trace between replay (all turns) and continue (complete turns, the picked model)', () => {
	const cutAt = trace.events.findIndex((e) => e.type === 'call' && e.call === 2);
	const cut = { ...trace, events: trace.events.slice(0, cutAt + 2) };
	const session = new AgentSession(env);
	session.openTrace(cut, { title: 'cut', mode: 'replay' });
	expect(session.settings.kind).toBe('replay');
	expect(session.replay?.turns).toHaveLength(2);
	session.settings.kind = 'openai';
	session.setOpenMode('continue');
	expect(session.openMode).toBe('continue');
	expect(session.settings.kind).toBe('openai');
	expect(session.replay?.turns).toHaveLength(1);
	session.setOpenMode('replay');
	expect(session.openMode).toBe('replay');
	expect(session.settings.kind).toBe('replay');
	expect(session.replay?.turns).toHaveLength(2);
});

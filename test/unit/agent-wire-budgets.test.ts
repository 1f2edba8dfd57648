import { describe, expect, test } from 'vitest';
import { getPreset } from '../../src/core/presets/index.ts';
import { wireTask, expectWellFormedTrace, wireSuite } from './helpers/agent-wire.ts';
import { ofType } from './helpers/run-events.ts';

// Budgets over the wire (turns, tokens as the server reports them, time), each ending the run with
// its own stop reason; and the loop's overhead per action through the OpenAI provider (logged).

const suite = wireSuite();
const { wires } = suite;
const task = wireTask;
const skyrl = getPreset('skyrl-sql');
const action = '<think>Zählen.</think>\n<sql>SELECT count(*) FROM sänger</sql>';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('budgets', () => {
	test('max turns: SkyRL’s last-turn action is not run, the reward is −1 (no solution), stop max-turns', async () => {
		const { server, provider } = await wires.openAi([{ chunks: [action] }, { chunks: [action] }]);
		const events = await suite.drive({
			provider,
			preset: skyrl,
			task,
			mode: 'chat',
			budgets: { maxTurns: 2 }
		});
		expect(server.requests[0].body.messages[1].content).toContain('- You have 2 turns.');
		expect(ofType(events, 'observation').map((o) => o.text)).toEqual([
			'\n\n<observation> 0\n 6\n<reminder>You have 1 turns left to complete the task.</reminder></observation>\n\n'
		]);
		expect(ofType(events, 'action')).toHaveLength(1);
		expect(ofType(events, 'budget')).toMatchObject([{ turnsLeft: 1, tokensLeft: null }]);
		expect(ofType(events, 'reward')).toMatchObject([
			{ value: -1, components: { format: false }, final: true }
		]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'max-turns' });
		expect(server.requests).toHaveLength(2);
	});

	test('tokens from the server’s usage: max_tokens shrinks with what is left; stop tokens once spent', async () => {
		const usage = { promptTokens: 900, completionTokens: 40 };
		const { server, provider } = await wires.openAi([
			{ chunks: [action], usage },
			{ chunks: [action], usage },
			{ chunks: [action], usage }
		]);
		const events = await suite.drive({
			provider,
			preset: skyrl,
			task,
			mode: 'completion',
			budgets: { maxTokens: 70 }
		});
		expect(server.requests.map((r) => r.body.max_tokens)).toEqual([70, 30]);
		expect(server.requests[0].body.stream_options).toEqual({ include_usage: true });
		expect(ofType(events, 'call-end').map((e) => e.usage)).toEqual([usage, usage]);
		expect(ofType(events, 'budget').map((b) => b.tokensLeft)).toEqual([30, -10]);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'tokens' });
		expectWellFormedTrace(events);
	});

	test('tokens mid-stream: a reply running past the budget is cut and the connection closed', async () => {
		const chunks = Array.from({ length: 60 }, (_, i) => ({
			text: `<think>Gedanke ${String(i).padStart(2, '0')}</think>`,
			delayMs: 20
		}));
		const { server, provider } = await wires.openAi([{ chunks }]);
		const events = await suite.drive({
			provider,
			preset: skyrl,
			task,
			mode: 'chat',
			budgets: { maxTokens: 20 }
		});
		expect(server.requests[0].body.max_tokens).toBe(20);
		expect(ofType(events, 'call-end')).toMatchObject([{ cut: true, finishReason: 'cut' }]);
		// Cut as soon as the estimate (4 characters a token) passes 20 tokens: within the 4th chunk.
		expect(
			ofType(events, 'text')
				.map((e) => e.text)
				.join('').length
		).toBeLessThanOrEqual(4 * 25);
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'tokens' });
		expect(await server.requests[0].outcome).toBe('client-closed');
	});

	test('time: a slow stream is stopped at the deadline with reason time, the connection closed', async () => {
		const chunks = Array.from({ length: 30 }, (_, i) => ({ text: `Gedanke ${i}. `, delayMs: 100 }));
		const { server, provider } = await wires.openAi([{ chunks }]);
		const t0 = performance.now();
		const events = await suite.drive({
			provider,
			preset: skyrl,
			task,
			mode: 'chat',
			budgets: { maxMs: 400 }
		});
		const elapsed = performance.now() - t0;
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'time' });
		expect(ofType(events, 'error')).toHaveLength(0);
		expect(await server.requests[0].outcome).toBe('client-closed');
		// Not before the deadline, and not at the end of the script (30 chunks, 3 s): cut between.
		expect(elapsed).toBeGreaterThanOrEqual(390);
		expect(ofType(events, 'text').length).toBeLessThan(chunks.length);
		expectWellFormedTrace(events);
	});

	test('time runs out while the server is silent: stop time, no further request', async () => {
		const { server, provider } = await wires.openAi([
			// Silent for 10× the budget, so the budget wins even on a loaded machine.
			{ chunks: [{ text: action, delayMs: 2000 }] },
			{ chunks: [action] }
		]);
		const events = await suite.drive({
			provider,
			preset: skyrl,
			task,
			mode: 'chat',
			budgets: { maxMs: 200 }
		});
		expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'time' });
		expect(server.requests).toHaveLength(1);
	});
});

describe('loop overhead through the OpenAI provider and the scripted server', () => {
	for (const mode of ['completion', 'chat'] as const) {
		test(`${mode}: per action, parse + SELECT 1 + insert (logged), and the whole HTTP turn`, async () => {
			const n = 40;
			const { server, provider } = await wires.openAi(
				Array.from({ length: n }, () => ({
					chunks: ['<think>k</think>', '<sql>SELECT 1', '</sql>']
				}))
			);
			const events = await suite.drive({
				provider,
				preset: skyrl,
				task,
				mode,
				budgets: { maxTurns: n }
			});
			expect(ofType(events, 'action')).toHaveLength(n - 1);
			expect(events.at(-1)).toMatchObject({ type: 'stop', reason: 'max-turns' });
			expect(server.requests).toHaveLength(n);
			const calls = ofType(events, 'call').map((e) => e.t);
			const ends = ofType(events, 'call-end').map((e) => e.t);
			const overhead = ends.slice(0, n - 1).map((t, i) => calls[i + 1] - t);
			const http = calls.map((t, i) => ends[i] - t);
			console.log(
				`agent wire (${mode}): loop overhead per action median ${median(overhead).toFixed(3)} ms ` +
					`(max ${Math.max(...overhead).toFixed(3)}), model call over HTTP median ` +
					`${median(http).toFixed(3)} ms, over ${n - 1} actions`
			);
		});
	}
});

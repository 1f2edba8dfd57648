// Bench part 'trace' (issue 12): the line tracer in the app's Python worker against the same
// tracer (workers/python/tracer.py) under /usr/bin/python3, rounds alternating between the two.
// The program runs 60 003 steps, past the default cap of 10 000: every trace raises the cap
// (maxSteps 10 000 000) so the whole loop is traced.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchProfile, median } from './browser.mjs';
import { nativePython } from './native.mjs';
import { readyProbe } from './probes.mjs';
import { waitReady } from './measure-runtime.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Loop-heavy: 20 000 passes of three lines each, one global changing per line. */
export const traceProgram =
	'total = 0\nfor i in range(20000):\n    if i % 3 == 0:\n        total += i\n    else:\n        total -= 1\n';
const maxSteps = 10_000_000;

/** One traced and one untraced run in the page's worker (times are the worker's durationMs). */
function browserRound(page, warm) {
	return page.evaluate(
		async ({ code, maxSteps, warm }) => {
			const py = globalThis.execlab.python;
			const session = 'bench-trace';
			if (warm) {
				await py.trace(code, { session, maxSteps });
				await py.run(code, { session });
			}
			const t0 = performance.now();
			const t = await py.trace(code, { session, maxSteps });
			const wallMs = performance.now() - t0;
			if (!t.ok || t.truncated.steps) throw new Error(`trace failed: ${JSON.stringify(t.error)}`);
			const u = await py.run(code, { session });
			if (!u.ok) throw new Error(`untraced run failed: ${JSON.stringify(u.error)}`);
			return { steps: t.steps.length, tracedMs: t.durationMs, plainMs: u.durationMs, wallMs };
		},
		{ code: traceProgram, maxSteps, warm }
	);
}

function nativeRound(root) {
	const tracer = readFileSync(join(root, 'workers/python/tracer.py'), 'utf8');
	const r = spawnSync(nativePython, [join(here, 'trace-native.py')], {
		input: JSON.stringify({ code: traceProgram, tracer, maxSteps }),
		encoding: 'utf8',
		timeout: 120_000
	});
	if (r.status !== 0) throw new Error(`native trace failed: ${r.stderr || r.error}`);
	return JSON.parse(r.stdout);
}

/**
 * Traced steps per second in the browser worker and natively, and traced / untraced time in the
 * worker; medians over the rounds. Resolves to {results, samples, notes, details}.
 */
export async function measureTrace({ root, appUrl, quick }) {
	const rounds = quick ? 3 : 7;
	const browser = await launchProfile({ initScript: readyProbe, initArg: 'python' });
	const page = [];
	const native = [];
	try {
		await browser.page.goto(appUrl, { waitUntil: 'commit' });
		await waitReady(browser.page);
		for (let i = 0; i < rounds; i++) {
			page.push(await browserRound(browser.page, i === 0));
			native.push(nativeRound(root));
		}
	} finally {
		await browser.close();
	}
	const steps = page[0].steps;
	if (native[0].steps !== steps) {
		throw new Error(`native traced ${native[0].steps} steps, the worker ${steps}`);
	}
	const perSec = page.map((r) => (steps * 1000) / r.tracedMs);
	const nativePerSec = native.map((r) => (steps * 1000) / r.tracedMs);
	const overhead = page.map((r) => r.tracedMs / r.plainMs);
	const stepsPerSec = median(perSec);
	const nativeStepsPerSec = median(nativePerSec);
	const how = `${steps} steps of a 20 000-pass loop (maxSteps raised to ${maxSteps}), ${rounds} rounds alternating with the native tracer; medians`;
	return {
		results: {
			'trace.stepsPerSec': stepsPerSec,
			'trace.nativeStepsPerSec': nativeStepsPerSec,
			'trace.vsNativeRatio': stepsPerSec / nativeStepsPerSec,
			'trace.overhead': median(overhead)
		},
		samples: {
			'trace.stepsPerSec': perSec,
			'trace.nativeStepsPerSec': nativePerSec,
			'trace.overhead': overhead
		},
		notes: {
			'trace.stepsPerSec': `the app's Python worker, the run's own time (durationMs): ${how}`,
			'trace.nativeStepsPerSec': `${nativePython} running workers/python/tracer.py with sys.settrace on the same program (bench/trace-native.py): ${how}`,
			'trace.vsNativeRatio': 'trace.stepsPerSec / trace.nativeStepsPerSec (no target)',
			'trace.overhead': `traced / untraced durationMs of the same program in the worker: ${how}`
		},
		details: {
			traceWallMs: page.map((r) => r.wallMs),
			tracePlainMs: page.map((r) => r.plainMs),
			nativePlainMs: native.map((r) => r.plainMs)
		}
	};
}

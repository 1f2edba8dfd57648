// The bench's public keys, their targets (issue 2 §6, issues 3 and 4 "Bench"), pass/fail, the
// printed table and bench/results.json.
import { writeFileSync } from 'node:fs';
import { round } from './browser.mjs';

/**
 * Every key in order. `max`/`min`: absolute target; `baseline` + `maxRatio`: target relative to
 * another key; `ratioOf`: the value itself is a ratio against `baseline` (target `min`); `extra`:
 * printed in the table but written to results.json's `extra`, not to its public `results`.
 */
export const keySpecs = [
	{ key: 'python.rawLoadPyodideWarm', unit: 'ms', role: 'baseline' },
	{ key: 'python.rawLoadPyodideCold', unit: 'ms', role: 'baseline' },
	{ key: 'python.readyWarm', unit: 'ms', baseline: 'python.rawLoadPyodideWarm', maxRatio: 0.35 },
	{ key: 'python.readyCold', unit: 'ms', baseline: 'python.rawLoadPyodideCold', maxRatio: 1.0 },
	{ key: 'python.roundTripMedian', unit: 'ms', max: 1.5 },
	{ key: 'python.interruptMedian', unit: 'ms', max: 10 },
	{ key: 'python.hardStopRecovery', unit: 'ms', max: 1000 },
	{ key: 'python.memoryBombMs', unit: 'ms', max: 5000 },
	{ key: 'sql.ready', unit: 'ms', max: 200 },
	{ key: 'sql.roundTripMedian', unit: 'ms', max: 0.3 },
	{ key: 'eval.samplesPerSec', unit: 'samples/s' },
	{ key: 'eval.nativeProcessPerSample', unit: 'samples/s', role: 'baseline' },
	{ key: 'eval.nativeFork', unit: 'samples/s', role: 'baseline' },
	{ key: 'eval.ratioVsProcess', unit: '×', baseline: 'eval.nativeProcessPerSample', min: 50 },
	{ key: 'eval.ratioVsFork', unit: '×', baseline: 'eval.nativeFork', min: 10 },
	// Printed, but kept in results.json's `extra` (no target): the same programs each given whole,
	// so that no sample re-uses a task's compiled tests.
	{ key: 'eval.samplesPerSecJoined', unit: 'samples/s', extra: true },
	{ key: 'eval.ratioVsProcessJoined', unit: '×', extra: true },
	{ key: 'eval.ratioVsForkJoined', unit: '×', extra: true },
	// Batch evaluation on the worker pool through eval-run (issue 14 Bench).
	{ key: 'eval.humanevalScaleSeconds', unit: 's', max: 60 },
	{ key: 'eval.poolSamplesPerSec', unit: 'samples/s' },
	{ key: 'eval.poolSpeedup', unit: '×', min: 1.6 },
	{ key: 'eval.poolNativeProcessPerSample', unit: 'samples/s', extra: true },
	{ key: 'eval.poolRatioVsProcess', unit: '×', extra: true },
	{ key: 'sql.vsNativeRatio', unit: '×', max: 2 },
	{ key: 'sql.nativeGoldsMs', unit: 'ms', role: 'baseline', extra: true },
	{ key: 'sql.vsNativeRatioRoundTrip', unit: '×', extra: true },
	{ key: 'sql.vsNativeRatioOneByOne', unit: '×', extra: true },
	{ key: 'sql.vsNativeRatioAllGolds', unit: '×', extra: true },
	{ key: 'sql.vsNativeRatioFirstRound', unit: '×', extra: true },
	{ key: 'eval.spiderExPairsPerSec', unit: 'verdicts/s' },
	{ key: 'app.jsGzKB', unit: 'KB', max: 150 },
	{ key: 'app.interactiveMs', unit: 'ms', max: 300 },
	{ key: 'agent.stepOverheadMedian', unit: 'ms', max: 3 },
	// The line tracer (issue 12): no targets yet; the native figure is the ratio's baseline.
	{ key: 'trace.stepsPerSec', unit: 'steps/s' },
	{ key: 'trace.vsNativeRatio', unit: '×' },
	{ key: 'trace.overhead', unit: '×' },
	{ key: 'trace.nativeStepsPerSec', unit: 'steps/s', extra: true }
];

/** Human-readable target of a key. */
function targetText(spec) {
	if (spec.role === 'baseline') return 'baseline';
	if (spec.maxRatio !== undefined)
		return `≤ ${spec.maxRatio.toFixed(2)} × ${spec.baseline.split('.')[1]}`;
	if (spec.max !== undefined) return `≤ ${spec.max}`;
	if (spec.min !== undefined) return `≥ ${spec.min}`;
	return '—';
}

/** Evaluates one key: {value, target, baseline, ratio, pass}; pass is null when not decidable. */
export function evaluateKey(spec, results) {
	const value = results[spec.key] ?? null;
	const baseline = spec.baseline ? (results[spec.baseline] ?? null) : null;
	let ratio = null;
	let pass = null;
	if (value !== null) {
		if (spec.maxRatio !== undefined && baseline) {
			ratio = value / baseline;
			pass = ratio <= spec.maxRatio;
		} else if (spec.max !== undefined) pass = value <= spec.max;
		else if (spec.min !== undefined) {
			ratio = value;
			pass = value >= spec.min;
		}
	}
	return { value, target: targetText(spec), baseline, ratio, pass };
}

function cell(v, digits = 1) {
	if (v === null || v === undefined) return '—';
	if (typeof v !== 'number') return String(v);
	const r = round(v, Math.abs(v) < 10 ? 2 : digits);
	return r === null ? '—' : String(r);
}

/** Rows of the results table (used for the console and the README). */
export function tableRows(results) {
	return keySpecs.map((spec) => {
		const e = evaluateKey(spec, results);
		return {
			key: spec.key,
			value: e.value === null ? 'null' : `${cell(e.value)} ${spec.unit}`,
			target: e.target,
			baseline: cell(e.baseline),
			ratio: e.ratio === null ? '—' : `${cell(e.ratio)}×`,
			result: e.pass === null ? (e.value === null ? 'n/a' : '—') : e.pass ? 'pass' : 'FAIL'
		};
	});
}

/** The table as fixed-width text. */
export function formatTable(results) {
	const rows = tableRows(results);
	const head = {
		key: 'key',
		value: 'value',
		target: 'target',
		baseline: 'baseline',
		ratio: 'ratio',
		result: 'pass/fail'
	};
	const cols = Object.keys(head);
	const width = Object.fromEntries(
		cols.map((c) => [c, Math.max(head[c].length, ...rows.map((r) => r[c].length))])
	);
	const line = (r) => cols.map((c) => r[c].padEnd(width[c])).join('  ');
	return [line(head), cols.map((c) => '-'.repeat(width[c])).join('  '), ...rows.map(line)].join(
		'\n'
	);
}

/** The table as Markdown (for the README "Performance" section). */
export function formatMarkdown(results) {
	const rows = tableRows(results);
	return [
		'| key | value | target | baseline | ratio | pass/fail |',
		'|---|---|---|---|---|---|',
		...rows.map(
			(r) =>
				`| \`${r.key}\` | ${r.value} | ${r.target} | ${r.baseline} | ${r.ratio} | ${r.result} |`
		)
	].join('\n');
}

/** Writes bench/results.json: flat `results` by key, plus targets, pass/fail, raw samples and notes. */
export function writeResults(path, { machine, results, samples, notes, details, startedAt, load }) {
	const specs = keySpecs.filter((s) => !s.extra);
	const out = {
		generatedAt: new Date().toISOString(),
		startedAt,
		machine,
		load,
		results: Object.fromEntries(specs.map((s) => [s.key, round(results[s.key] ?? null, 3)])),
		extra: Object.fromEntries(
			Object.entries(results)
				.filter(([k]) => !specs.some((s) => s.key === k))
				.map(([k, v]) => [k, round(v, 3)])
		),
		targets: Object.fromEntries(specs.map((s) => [s.key, targetText(s)])),
		pass: Object.fromEntries(specs.map((s) => [s.key, evaluateKey(s, results).pass])),
		samples,
		notes,
		details
	};
	writeFileSync(path, JSON.stringify(out, null, '\t') + '\n');
	return out;
}

// A run's results as files: CSV (one row per sample), JSON (metrics, samples, machine) and
// human-eval's `<samples>_results.jsonl` as openai/human-eval evaluation.py
// `evaluate_functional_correctness` writes it (`combine_results` + data.py `write_jsonl`).
import type { EvalMachine, EvalMetrics, SampleVerdict } from '../pack.ts';
import { pyFloatRepr } from '../python-value.ts';
import { pyJsonString } from '../prediction-files.ts';

/** The CSV columns, in order. */
export const csvColumns = [
	'task_id',
	'index',
	'passed',
	'result',
	'duration_ms',
	'near_limit',
	'group'
] as const;

/** One row per sample (RFC 4180: fields with a comma, quote or line break are quoted). */
export function verdictsCsv(samples: readonly SampleVerdict[]): string {
	const rows = samples.map((s) =>
		[
			s.taskId,
			String(s.index),
			String(s.passed),
			s.result,
			String(s.durationMs),
			String(s.nearLimit === true),
			s.group ?? ''
		]
			.map(csvField)
			.join(',')
	);
	return [csvColumns.join(','), ...rows].join('\r\n') + '\r\n';
}

function csvField(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The run as one JSON document: metrics, samples in input order, the machine. */
export function resultsJson(
	metrics: EvalMetrics,
	samples: readonly SampleVerdict[],
	machine?: EvalMachine
): string {
	return JSON.stringify({ metrics, samples, machine: machine ?? metrics.machine ?? null }, null, 2);
}

/**
 * human-eval's `samples.jsonl_results.jsonl`: each input record in file order with `result` and
 * `passed` set (a key the record already had keeps its place, as in a Python dict), written by
 * `json.dumps` with its defaults (`", "`, `": "`, ASCII only) and `"\n"` after each line.
 * `records[i]` is the i-th line's object and `samples[i]` its verdict (the batch keeps that order).
 */
export function humanEvalResultsJsonl(
	records: readonly Record<string, unknown>[],
	samples: readonly SampleVerdict[]
): string {
	if (records.length !== samples.length) {
		throw new RangeError(`${records.length} records but ${samples.length} verdicts`);
	}
	return records
		.map((record, i) => {
			const out = { ...record, result: samples[i].result, passed: samples[i].passed };
			return pyJsonDumps(out) + '\n';
		})
		.join('');
}

/**
 * Python's `json.dumps(value)` with default arguments, for values read by JSON.parse: integral
 * numbers are written as ints and others by float repr (JSON.parse cannot tell `1.0` from `1`).
 */
export function pyJsonDumps(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (value === true) return 'true';
	if (value === false) return 'false';
	if (typeof value === 'number') return pyNumber(value);
	if (typeof value === 'string') return pyJsonString(value);
	if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
	const entries = Object.entries(value as Record<string, unknown>);
	return `{${entries.map(([k, v]) => `${pyJsonString(k)}: ${pyJsonDumps(v)}`).join(', ')}}`;
}

function pyNumber(x: number): string {
	if (Number.isNaN(x)) return 'NaN';
	if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
	if (Number.isInteger(x) && !Object.is(x, -0)) return BigInt(x).toString();
	return pyFloatRepr(x);
}

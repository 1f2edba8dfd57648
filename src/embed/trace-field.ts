import { z } from 'zod';
import { readTraceRecord, TraceImportError, type TraceV2 } from '../core/trace/trace-v2.ts';

// The `trace` field of the `replay` and `export` requests: an ExecLab trace object (schema v1 or
// v2), validated strictly by the trace's own reader, so a bad trace is refused naming the field
// (e.g. `replay: trace.events.3.type: …`) before anything runs.

/** Reads one trace into `ctx`'s issues (at `path`) or returns it as v2. */
function readInto(value: unknown, ctx: z.RefinementCtx, path: (string | number)[], record = 1) {
	try {
		return readTraceRecord(value, record);
	} catch (e) {
		const field = e instanceof TraceImportError ? e.field : '';
		const why = e instanceof TraceImportError ? e.why : String(e);
		ctx.addIssue({
			code: 'custom',
			message: why,
			path: [
				...path,
				...(field ? field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [])
			]
		});
		return z.NEVER;
	}
}

/** One trace (v1 or v2), read as v2. */
export const oneTraceField = z
	.unknown()
	.transform((value, ctx): TraceV2 => readInto(value, ctx, []));

/** One trace or an array of traces (for JSONL), read as v2 traces. */
export const tracesField = z.unknown().transform((value, ctx): TraceV2[] => {
	if (!Array.isArray(value)) return [readInto(value, ctx, [])];
	if (value.length === 0) {
		ctx.addIssue({ code: 'custom', message: 'expected at least one trace' });
		return z.NEVER;
	}
	return value.map((v, i) => readInto(v, ctx, [i], i + 1));
});

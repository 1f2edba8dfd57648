import { readTraceRecord, TraceImportError, type TraceV2 } from '../trace/trace-v2.ts';

/** Files larger than this are refused before parsing (a trace is kilobytes; 32 MiB is far past any run). */
export const MAX_TRACE_FILE_CHARS = 32 * 1024 * 1024;

/** One trace as ExecLab JSON (schema v2). */
export function toExeclabJson(trace: TraceV2): string {
	return JSON.stringify(trace, null, 1);
}

/** Many traces as ExecLab JSONL: one v2 trace per line. */
export function toExeclabJsonl(traces: readonly TraceV2[]): string {
	return traces.map((t) => JSON.stringify(t) + '\n').join('');
}

/**
 * Reads ExecLab JSON (one trace, v1 or v2) or JSONL (one per line); all or nothing: the first bad
 * record throws a TraceImportError naming it (1-based), the field and why, and nothing is returned.
 */
export function importExeclab(text: string): TraceV2[] {
	if (text.length > MAX_TRACE_FILE_CHARS)
		throw new TraceImportError(1, '', `file too large (${text.length} characters)`);
	const body = text.trim();
	if (body.startsWith('{') && !isJsonl(body)) return [readTraceRecord(parseJson(body, 1), 1)];
	const lines = text.split('\n');
	const traces: TraceV2[] = [];
	lines.forEach((line, i) => {
		if (line.trim() === '') return;
		traces.push(readTraceRecord(parseJson(line, i + 1), i + 1));
	});
	if (traces.length === 0) throw new TraceImportError(1, '', 'no trace in the file');
	return traces;
}

// A JSON document is JSONL when its first line is itself a complete JSON value.
function isJsonl(body: string): boolean {
	const first = body.split('\n', 1)[0];
	if (first.length === body.length) return false;
	try {
		JSON.parse(first);
		return true;
	} catch {
		return false;
	}
}

/** JSON.parse with the record named in its error. */
export function parseJson(text: string, record: number): unknown {
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new TraceImportError(record, '', `not JSON (${(e as Error).message.slice(0, 120)})`);
	}
}

/// <reference types="vite/client" />
import type { PythonRunResult } from '../../../workers/protocol.ts';
import type { Runtime } from '../runtime.ts';
import source from './difftest.py?raw';

// Runs the entry points of difftest.py: each call is its own program in a session of its own, reset
// after it, so a hidden function, a submission or an input never leaks into the next call or a user's session.

/** One call of an entry point: its JSON result, or why it gave none (timeout, crash). */
export type OracleCall<T> =
	| { ok: true; value: T; durationMs: number }
	| { ok: false; status: string; message: string; durationMs: number };

/** Options of oracle calls. */
export interface OracleOptions {
	timeoutMs?: number;
	signal?: AbortSignal;
}

/** UTF-8 safe base64 of a JSON value (the payload travels as one string literal). */
function encode(payload: unknown): string {
	const bytes = new TextEncoder().encode(JSON.stringify(payload));
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary);
}

/** Runs `entry(payload)` for each payload, each in a fresh session forgotten afterwards; results in order. */
export async function callOracle<T>(
	runtime: Pick<Runtime, 'python'>,
	entry: 'codearc_invoke' | 'codearc_check' | 'mokav_check',
	payloads: unknown[],
	{ timeoutMs = 5_000, signal }: OracleOptions = {}
): Promise<OracleCall<T>[]> {
	const out: OracleCall<T>[] = [];
	for (const payload of payloads) {
		// A session of its own: nothing of a hidden function or submission stays behind for the next call.
		const session = `difftest-${Math.random().toString(36).slice(2)}`;
		try {
			const code = `${source}\n${entry}(${JSON.stringify(encode(payload))})\n`;
			out.push(parse<T>(await runtime.python.run(code, { session, timeoutMs, signal }), timeoutMs));
		} finally {
			await runtime.python.reset(session);
		}
	}
	return out;
}

/** The JSON line an entry point printed, or why there is none. */
function parse<T>(r: PythonRunResult, timeoutMs: number): OracleCall<T> {
	const line = r.stdout.trimEnd().split('\n').at(-1) ?? '';
	if (r.ok && line) {
		try {
			return { ok: true, value: JSON.parse(line) as T, durationMs: r.durationMs };
		} catch {
			// A program that printed something else is reported below like any failure.
		}
	}
	const timedOut = r.stopped?.reason === 'timeout';
	return {
		ok: false,
		status: timedOut ? 'timeout' : 'error',
		message: timedOut
			? `timed out after ${timeoutMs / 1000} seconds`
			: (r.error?.message ?? 'no result'),
		durationMs: r.durationMs
	};
}

import type { CodearcSpec } from './task.ts';

// Hidden functions of this page, by reference. A play-mode task carries only its `ref`, so the
// trace header, the history and the student's page hold no source; the oracle looks it up here.

const sources = new Map<string, string>();

/** A short, stable name for a source (FNV-1a, 64 bits): the same function gets the same ref. */
export function hiddenRef(source: string): string {
	let h = 0xcbf29ce484222325n;
	for (const byte of new TextEncoder().encode(source)) {
		h ^= BigInt(byte);
		h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
	}
	return `hidden-${h.toString(16).padStart(16, '0')}`;
}

/** Keeps a hidden source for this page's runs; returns its ref (or keeps it under the ref given). */
export function rememberHidden(source: string, ref = hiddenRef(source)): string {
	sources.set(ref, source);
	return ref;
}

/** The source of a CodeARC task's hidden function: inline (author) or remembered by ref (play). */
export function hiddenSourceOf(spec: CodearcSpec): string {
	if (spec.hidden !== undefined) return spec.hidden;
	const found = spec.ref === undefined ? undefined : sources.get(spec.ref);
	if (found === undefined)
		throw new RangeError(
			`The hidden function of this CodeARC task (ref "${spec.ref ?? 'none'}") is not available in this page; load the task in author mode or pick the bundled task again`
		);
	return found;
}

/** The spec as play mode shows it: the source replaced by its ref (remembered here); author mode unchanged. */
export function playSpec(spec: CodearcSpec): CodearcSpec {
	if (spec.mode === 'author' || spec.hidden === undefined) return spec;
	const { hidden, ...rest } = spec;
	return { ...rest, ref: rememberHidden(hidden, spec.ref) };
}

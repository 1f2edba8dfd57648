// npm's pyodide ships python_stdlib.zip with sources only (.py), so every start without a memory
// snapshot compiles each module it imports: ~120 of them for Pyodide's own start and ~30 more for
// our helper, ~0.7 s of a ~2 s start in Node and more on a first visit, when the wasm is not yet
// optimised. This build step adds bytecode (.pyc) next to the source of exactly those modules,
// compiled by the same Pyodide, so CPython's zipimport loads them without compiling. The sources
// stay, for tracebacks and inspect.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { helperFolder, installHelper, joinHelper } from '../workers/python-helper.ts';

const root = new URL('../', import.meta.url);

/**
 * The helper's source as the engine installs it, read from its .py files (the build cannot import
 * them as text as the engine does: Vite's config loader has no ?raw).
 */
export function readHelperSource(): string {
	return joinHelper((part) => readFileSync(new URL(`${helperFolder}/${part}`, root), 'utf8'));
}

/** Reads `source` (Pyodide's python_stdlib.zip) and writes `target`: the same zip plus start-up .pyc files. */
export async function writeStdlibWithBytecode(
	indexURL: string,
	source: string,
	target: string
): Promise<{ modules: number; bytes: number }> {
	const { loadPyodide } = await import('pyodide');
	const py = await loadPyodide({ indexURL });
	// What a start imports: Pyodide's own start, then our helper's.
	installHelper(py, readHelperSource());
	py.FS.writeFile('/tmp/stdlib-in.zip', readFileSync(source));
	const modules = py.runPython(STDLIB_PYC) as number;
	const bytes = py.FS.readFile('/tmp/stdlib-out.zip') as Uint8Array;
	// Renamed into place, so a build running at the same time never reads half a zip.
	const partial = `${target}.${process.pid}.partial`;
	writeFileSync(partial, bytes);
	renameSync(partial, target);
	return { modules, bytes: bytes.length };
}

// Unchecked hash-based .pyc (PEP 552): zipimport uses it without looking at the source, and no
// timestamp has to match the zip's. Code objects get the file name a source import would give.
// npm's entries are copied first, unchanged and in order, so each keeps its offset: a memory
// snapshot made against npm's zip holds zipimport's directory of it, and still reads right.
const STDLIB_PYC = String.raw`
import sys, zipfile, importlib.util
from importlib._bootstrap_external import _code_to_hash_pyc
prefix = '/lib/python314.zip/'
# Frozen modules (os, io, site …) carry a __file__ in the zip but run from the interpreter's own copy.
started = sorted({m.__file__[len(prefix):] for m in list(sys.modules.values())
                  if isinstance(getattr(m, '__file__', None), str) and m.__file__.startswith(prefix)
                  and m.__file__.endswith('.py')
                  and getattr(getattr(m, '__spec__', None), 'origin', None) != 'frozen'})
count = 0
with zipfile.ZipFile('/tmp/stdlib-in.zip') as zin, \
        zipfile.ZipFile('/tmp/stdlib-out.zip', 'w', zipfile.ZIP_DEFLATED) as zout:
    names = set(zin.namelist())
    for info in zin.infolist():
        zout.writestr(info, zin.read(info.filename))
    for rel in started:
        if rel not in names or rel + 'c' in names:
            continue
        src = zin.read(rel)
        code = compile(src, prefix + rel, 'exec', dont_inherit=True)
        data = _code_to_hash_pyc(code, importlib.util.source_hash(src), checked=False)
        zout.writestr(zipfile.ZipInfo(rel + 'c', zin.getinfo(rel).date_time), bytes(data),
                      zipfile.ZIP_DEFLATED)
        count += 1
count
`;

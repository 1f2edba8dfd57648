import { expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';
import { readHelperSource, writeStdlibWithBytecode } from '../../scripts/stdlib-pyc.ts';
import { helperVersion, installHelper } from '../../workers/python-helper.ts';
import { pythonHelperSource, pythonHelperVersion } from '../../workers/python-helper-source.ts';

const indexURL = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));

test('the build reads the helper the engine installs: the same source, so the same version', () => {
	const read = readHelperSource();
	expect(read).toBe(pythonHelperSource);
	expect(helperVersion(read)).toBe(pythonHelperVersion);
	expect(pythonHelperVersion).toMatch(/^[0-9a-f]{8}$/);
});

test('the built stdlib has bytecode for what a start imports; Python uses it, and tracebacks keep the source', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'execlab-stdlib-'));
	try {
		const stock = join(indexURL, 'python_stdlib.zip');
		const built = join(dir, 'python_stdlib.zip');
		const { modules, bytes } = await writeStdlibWithBytecode(indexURL, stock, built);
		expect(modules).toBeGreaterThan(100);
		expect(bytes).toBe(statSync(built).size);

		const py = await loadPyodide({ indexURL, stdLibURL: built });
		installHelper(py, pythonHelperSource);
		const out = JSON.parse(
			py.runPython(`
import sys, json, traceback
prefix = '/lib/python314.zip/'
# Frozen modules (os, io, site …) name a file in the zip but run from the interpreter's own copy.
zipped = [m for m in list(sys.modules.values())
          if isinstance(getattr(m, '__file__', None), str) and m.__file__.startswith(prefix)
          and m.__spec__.origin != 'frozen']
from_source = sorted(m.__name__ for m in zipped if not m.__file__.endswith('.pyc'))
import fractions  # not imported by a start: still loads, from its source
try:
    json.loads('{x')
except ValueError:
    tb = traceback.format_exc()
json.dumps({
    'zipped': len(zipped),
    'fromSource': from_source,
    'fractions': fractions.__file__,
    'filename': json.decoder.JSONDecoder.raw_decode.__code__.co_filename,
    'traceback': tb,
})`) as string
		) as {
			zipped: number;
			fromSource: string[];
			fractions: string;
			filename: string;
			traceback: string;
		};
		expect(out.zipped).toBeGreaterThan(100);
		expect(out.fromSource).toEqual([]);
		expect(out.fractions).toBe('/lib/python314.zip/fractions.py');
		// Code objects name the source file, so tracebacks and linecache find its lines.
		expect(out.filename).toBe('/lib/python314.zip/json/decoder.py');
		expect(out.traceback).toContain('File "/lib/python314.zip/json/decoder.py"');
		expect(out.traceback).toContain('obj, end = self.scan_once(s, idx)');
		// npm's entries keep their offsets (a snapshot made against npm's zip caches its directory).
		// Checked last: zipfile imports a module (encodings.cp437) that a start does not.
		py.FS.writeFile('/tmp/stock.zip', readFileSync(stock));
		py.FS.writeFile('/tmp/built.zip', readFileSync(built));
		const moved = py.runPython(`
import zipfile
built = {i.filename: (i.header_offset, i.compress_size) for i in zipfile.ZipFile('/tmp/built.zip').infolist()}
[i.filename for i in zipfile.ZipFile('/tmp/stock.zip').infolist()
 if built.get(i.filename) != (i.header_offset, i.compress_size)]`) as { toJs(): string[] };
		expect(moved.toJs()).toEqual([]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}, 120_000);

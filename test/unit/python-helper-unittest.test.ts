import { expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';
import {
	helperFolder,
	helperParts,
	helperVersion,
	installHelper,
	joinHelper
} from '../../workers/python-helper.ts';
import { pythonHelperSource, pythonHelperVersion } from '../../workers/python-helper-source.ts';

const indexURL = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));
const testFolder = new URL('../python/', import.meta.url);
const testFiles = readdirSync(testFolder).filter((f) => /^test_.*\.py$/.test(f));

// Discovers and runs the suite; every failure, error, skip or unexpected success is a problem,
// named by its test id with its exception's first line; the whole log is the failure's message.
const runSuite = String.raw`
import io, json, unittest
stream = io.StringIO()
suite = unittest.defaultTestLoader.discover('/tmp/helper-tests', pattern='test_*.py')
result = unittest.TextTestRunner(stream=stream, verbosity=2).run(suite)
def headline(tb):
    # The exception's first line, after the stack.
    return next((l for l in tb.splitlines() if l and not l.startswith((' ', 'Traceback'))), '')
problems = ([t.id() + ': ' + headline(tb) for t, tb in result.failures + result.errors]
            + [t.id() + ': skipped (' + why + ')' for t, why in result.skipped]
            + [t.id() + ': unexpected success' for t in result.unexpectedSuccesses])
json.dumps({'run': result.testsRun, 'problems': problems, 'log': stream.getvalue()})
`;

test("the helper's Python unittest suite (test/python/test_*.py) passes inside Pyodide", async () => {
	const py = await loadPyodide({ indexURL });
	installHelper(py, pythonHelperSource);
	py.FS.mkdirTree('/tmp/helper-tests');
	for (const file of testFiles) {
		py.FS.writeFile(`/tmp/helper-tests/${file}`, readFileSync(new URL(file, testFolder), 'utf8'));
	}
	const report = JSON.parse(py.runPython(runSuite) as string) as {
		run: number;
		problems: string[];
		log: string;
	};
	expect(report.problems, report.log).toEqual([]);
	// Every test method written was found and run (a module that fails to import is a problem above).
	const written = testFiles
		.map((file) => readFileSync(new URL(file, testFolder), 'utf8').match(/^ {4}def test_/gm))
		.reduce((n, found) => n + (found?.length ?? 0), 0);
	expect(testFiles.length).toBeGreaterThan(0);
	expect(report.run).toBe(written);
}, 120_000);

test('a change to any part of the helper changes its version', () => {
	const folder = new URL(`../../${helperFolder}/`, import.meta.url);
	const text = (part: string) => readFileSync(new URL(part, folder), 'utf8');
	expect(helperVersion(joinHelper(text))).toBe(pythonHelperVersion);
	const versions = helperParts.map((changed) =>
		helperVersion(joinHelper((part) => (part === changed ? `${text(part)}\n` : text(part))))
	);
	expect(new Set([pythonHelperVersion, ...versions]).size).toBe(helperParts.length + 1);
});

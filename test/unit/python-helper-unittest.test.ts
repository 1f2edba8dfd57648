import { expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';
import {
	helperFolder,
	helperParts,
	guardPart,
	helperVersion,
	installHelper,
	installTracer,
	joinHelper,
	stripComments,
	tracerPart
} from '../../workers/python-helper.ts';
import { pythonTracerSource } from '../../workers/python-tracer-source.ts';
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
	installTracer(py, pythonTracerSource);
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

// The shipped helper has its comment lines emptied and its one-line docstrings made `pass`: the
// code must stay the same, which the syntax trees show once docstrings and `pass` are left out of
// every body (a `#` line inside a multi-line string, which the stripping would corrupt, fails here).
const sameCode = String.raw`
import ast
def code(src):
    tree = ast.parse(src)
    for node in ast.walk(tree):
        body = getattr(node, 'body', None)
        if isinstance(body, list):
            node.body = [s for s in body if not isinstance(s, ast.Pass) and not (
                isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
                and isinstance(s.value.value, str))]
    return ast.dump(tree)
code(raw) == code(stripped) and raw.count(chr(10)) == stripped.count(chr(10))
`;

test('the shipped helper is its sources with comments and one-line docstrings left out', async () => {
	const py = await loadPyodide({ indexURL });
	const folder = new URL(`../../${helperFolder}/`, import.meta.url);
	for (const part of [...helperParts, tracerPart, guardPart]) {
		const raw = readFileSync(new URL(part, folder), 'utf8');
		const stripped = stripComments(raw);
		expect(stripped.length).toBeLessThan(raw.length);
		expect(py.runPython(sameCode, { globals: py.toPy({ raw, stripped }) }), part).toBe(true);
	}
	expect(
		py.runPython(sameCode, {
			globals: py.toPy({
				raw: 'x = """\n# kept\n"""',
				stripped: stripComments('x = """\n# kept\n"""')
			})
		})
	).toBe(false);
}, 120_000);

// `npm test`: install what is missing, run the unit tests (Node) and the e2e tests (Chromium),
// print one summary line, and exit non-zero when anything fails.
import { spawn, spawnSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test', '.results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const report = (name) => [
	'--reporter=default',
	'--reporter=json',
	`--outputFile.json=${join(results, `${name}.json`)}`
];

// Synchronous Python code cannot be ended by Vitest's own timeouts, so a test whose stop never
// arrives would hang its fork for ever (this happened: Pyodide's signal check could lose a stop,
// fixed in workers/python-engine.ts). The unit run therefore has a wall-clock limit: past it the
// whole process group is killed and npm test fails, saying so.
const unitLimitMs = 10 * 60_000;
function runUnit() {
	return new Promise((resolve) => {
		const child = spawn('npx', ['vitest', 'run', ...report('unit')], {
			cwd: root,
			stdio: 'inherit',
			detached: true
		});
		const timer = setTimeout(() => {
			console.error(`[execlab] unit tests still running after ${unitLimitMs / 60_000} min: killed`);
			process.kill(-child.pid, 'SIGKILL');
			resolve({ status: null });
		}, unitLimitMs);
		child.on('exit', (status) => {
			clearTimeout(timer);
			resolve({ status });
		});
	});
}

execSync('node scripts/ensure-install.mjs', { cwd: root, stdio: 'inherit' });
const unit = await runUnit();
// The unit run already said why real-data tests are skipped; the e2e run need not say it again.
const e2e = spawnSync('node', ['scripts/e2e.mjs', ...report('e2e')], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, EXECLAB_SKIP_NOTICE_SHOWN: '1' }
});

// Counts from Vitest's JSON reports; a suite that crashed before writing one counts as a failure.
let passed = 0;
let failedTests = 0;
// Tests that need ../shared/data are titled "[real data] …" (test/shared-data.ts) and skipped
// where it is absent; CI must have it, so a CI run that skipped any of them fails.
let realDataSkipped = 0;
for (const name of ['unit', 'e2e']) {
	const file = join(results, `${name}.json`);
	if (!existsSync(file)) {
		failedTests++;
		continue;
	}
	const json = JSON.parse(readFileSync(file, 'utf8'));
	passed += json.numPassedTests ?? 0;
	failedTests += (json.numFailedTests ?? 0) + (json.numFailedTestSuites ?? 0);
	for (const suite of json.testResults ?? [])
		for (const t of suite.assertionResults ?? [])
			if (t.status !== 'passed' && t.status !== 'failed' && t.fullName.includes('[real data]'))
				realDataSkipped++;
}
const failed = [unit.status !== 0 && 'unit', e2e.status !== 0 && 'e2e'].filter(Boolean);
const skipNote = realDataSkipped
	? ` (${realDataSkipped} real-data tests skipped: ../shared/data not found)`
	: '';
console.log(`tests: ${passed} passed, ${failedTests} failed${skipNote}`);
const ci = !['', '0', 'false'].includes(process.env.CI ?? '');
if (ci && realDataSkipped) failed.push('real-data tests skipped under CI');
if (failed.length) {
	console.error(`[execlab] failed: ${failed.join(', ')}`);
	process.exit(1);
}
if (passed === 0) {
	console.error('[execlab] no test ran');
	process.exit(1);
}

// Native evaluation baselines on the same samples as the browser: one /usr/bin/python3 process per
// sample (as common harnesses do: write the program to a file, run it, read the exit status), and
// one python3 parent forking per sample (bench/native-fork.py). Both sequential, like runMany.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The real interpreter (not a pyenv shim); NATIVE_PYTHON overrides. */
export const nativePython = process.env.NATIVE_PYTHON ?? '/usr/bin/python3';

/** Version string of the native interpreter, or null when it cannot run. */
export function nativePythonVersion() {
	const r = spawnSync(nativePython, ['--version'], { encoding: 'utf8' });
	return r.status === 0 ? (r.stdout || r.stderr).trim() : null;
}

function runProcess(file, timeoutMs) {
	return new Promise((ok) => {
		const child = spawn(nativePython, [file], { stdio: 'ignore', timeout: timeoutMs });
		child.on('exit', (code) => ok(code ?? -1));
		child.on('error', () => ok(-1));
	});
}

/** Runs each program in its own python3 process; resolves to {perSec, passed, n, seconds}. */
export async function measureProcessPerSample(programs, timeoutMs = 10_000) {
	const dir = mkdtempSync(join(tmpdir(), 'execlab-bench-native-'));
	try {
		let passed = 0;
		const start = performance.now();
		for (let i = 0; i < programs.length; i++) {
			const file = join(dir, `sample_${i}.py`);
			writeFileSync(file, programs[i]);
			if ((await runProcess(file, timeoutMs)) === 0) passed++;
		}
		const seconds = (performance.now() - start) / 1000;
		return { perSec: programs.length / seconds, passed, n: programs.length, seconds };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Runs the programs through one forking python3 parent; resolves to {perSec, passed, n, seconds}. */
export async function measureFork(programs, timeoutMs = 10_000) {
	const input = JSON.stringify({ programs, timeoutMs });
	const r = spawnSync(nativePython, [join(here, 'native-fork.py')], {
		input,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
	if (r.status !== 0) throw new Error(`native-fork.py failed: ${r.stderr}`);
	const { seconds, statuses } = JSON.parse(r.stdout);
	const passed = statuses.filter((s) => s === 0).length;
	return { perSec: programs.length / seconds, passed, n: programs.length, seconds };
}

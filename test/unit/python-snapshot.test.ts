import { describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { PythonEngine } from '../../workers/python-engine.ts';

const indexURL = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));

describe('memory snapshot', () => {
	test('made at a plain load, restored by the next load, corrupt bytes fall back to a plain load', async () => {
		const first = await PythonEngine.load({ indexURL, makeSnapshot: true });
		expect(first.info).toMatchObject({ fromSnapshot: false, snapshotMade: true });
		const bytes = first.takeSnapshot();
		expect(bytes?.byteLength).toBeGreaterThan(1_000_000);
		expect(first.takeSnapshot()).toBeNull();
		expect(first.run('1 + 1').value).toBe('2');

		const restored = await PythonEngine.load({ indexURL, snapshot: bytes });
		expect(restored.info).toMatchObject({ fromSnapshot: true, snapshotMade: false });
		expect(restored.info.snapshotError).toBeUndefined();
		// The helper came with the snapshot: capture, errors as data, batches and confinement work.
		const r = restored.run('import math\nprint(math.factorial(5))\n1 / 0');
		expect(r).toMatchObject({ stdout: '120\n', error: { type: 'ZeroDivisionError', line: 3 } });
		expect(restored.runMany([{ id: 'a', code: 'assert 2 + 2 == 4' }], {})[0].status).toBe('passed');
		expect(restored.run('from pyodide.http import pyfetch').ok).toBe(false);
		console.log(
			`load: plain ${first.info.loadMs.toFixed(0)} ms, from snapshot ${restored.info.loadMs.toFixed(0)} ms`
		);

		const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
		for (const bad of [garbage, bytes!.slice(0, bytes!.byteLength >> 1)]) {
			const fallback = await PythonEngine.load({ indexURL, snapshot: bad, makeSnapshot: true });
			expect(fallback.info).toMatchObject({ fromSnapshot: false, snapshotMade: true });
			expect(fallback.info.snapshotError).toMatch(/^snapshot unusable, plain load instead: /);
			expect(fallback.run('sum(range(10))').value).toBe('45');
		}
	});
});

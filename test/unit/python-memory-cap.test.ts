import { beforeAll, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { PythonEngine } from '../../workers/python-engine.ts';
import { MemoryCap } from '../../workers/memory-cap.ts';
import { hangMs } from '../deadline.ts';

// The heap cap is enforced when the heap grows (workers/memory-cap.ts): Node's V8 grows a
// WebAssembly memory through the same WebAssembly.Memory.prototype.grow as Chromium's.
const indexURL = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));
const MiB = 2 ** 20;
let engine: PythonEngine;

beforeAll(async () => {
	engine = await PythonEngine.load({ indexURL });
});

describe('MemoryCap', () => {
	test('refuses growth past the limit, allows it below, and the limit can change', () => {
		const memory = new WebAssembly.Memory({ initial: 1, maximum: 100 });
		const cap = new MemoryCap(memory, 4 * 65_536);
		expect(memory.grow(2)).toBe(1);
		expect(() => memory.grow(2)).toThrow(RangeError);
		expect(cap.refused).toBe(1);
		expect(memory.buffer.byteLength).toBe(3 * 65_536);
		cap.limit = 5 * 65_536;
		expect(memory.grow(2)).toBe(3);
		// Other memories keep the prototype's grow.
		const other = new WebAssembly.Memory({ initial: 1, maximum: 100 });
		expect(other.grow(10)).toBe(1);
	});
});

describe('Python heap cap', () => {
	test(
		'the bomb raises MemoryError in the user code, the session and its state are kept',
		() => {
			expect(engine.run('survivor = "yes"', { session: 'mem' }).ok).toBe(true);
			const bomb = engine.run('a = [bytearray(10**8) for _ in range(40)]', { session: 'mem' });
			expect(bomb).toMatchObject({ ok: false, error: { type: 'MemoryError', line: 1 } });
			expect(bomb.stopped).toBeUndefined();
			// Never past the default 1 GiB budget: growth is refused before it happens.
			expect(bomb.heapBytes).toBeLessThanOrEqual(1024 * MiB);
			expect(engine.heapBytes()).toBeLessThanOrEqual(1024 * MiB);
			const next = engine.run('survivor + str(len([bytearray(10**6) for _ in range(50)]))', {
				session: 'mem'
			});
			expect(next).toMatchObject({ ok: true, value: "'yes50'" });
		},
		hangMs * 2
	);

	test('the cap is per call: a smaller one refuses growth a larger one allowed', () => {
		const heap = engine.heapBytes();
		// The heap already holds ~1 GiB of free space after the bomb: a 100 MB object fits.
		expect(engine.run('b = bytearray(10**8)\ndel b', { maxHeapBytes: 64 * MiB }).ok).toBe(true);
		const grow = engine.run(`c = bytearray(${heap})`, { maxHeapBytes: heap });
		expect(grow).toMatchObject({ ok: false, error: { type: 'MemoryError', line: 1 } });
		expect(engine.heapBytes()).toBe(heap);
	});

	test('a session that holds all the memory can still run, free it and go on', () => {
		const code = 'held = []\nwhile True:\n    held.append(bytearray(10**6))';
		const fill = engine.run(code, { session: 'hold', maxHeapBytes: 512 * MiB });
		expect(fill).toMatchObject({ ok: false, error: { type: 'MemoryError', line: 3 } });
		expect(fill.stopped).toBeUndefined();
		// The helper's reserve lets this compile and run although `held` fills the heap.
		const size = engine.run('len(held) > 100', { session: 'hold' });
		expect(size).toMatchObject({ ok: true, value: 'True' });
		expect(engine.run('del held', { session: 'hold' }).ok).toBe(true);
		expect(engine.run('sum(len(bytearray(10**6)) for _ in range(20))').value).toBe('20000000');
	});

	test('runMany is capped too: the bomb is an error sample and the next sample passes', () => {
		const results = engine.runMany(
			[
				{ id: 'bomb', code: 'a = [bytearray(10**8) for _ in range(40)]' },
				{ id: 'next', code: 'assert len(bytearray(10**6)) == 10**6' }
			],
			{ maxHeapBytes: 256 * MiB }
		);
		expect(results.map((r) => [r.id, r.status, r.error?.type ?? null])).toEqual([
			['bomb', 'error', 'MemoryError'],
			['next', 'passed', null]
		]);
	});
});

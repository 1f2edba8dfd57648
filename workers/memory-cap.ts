// A heap cap enforced at the moment the heap grows. Emscripten grows its heap in
// emscripten_resize_heap through `wasmMemory.grow(pages)` inside a try/catch (pyodide.asm.mjs,
// growMemory): a thrown error there counts as a failed growth, so malloc returns NULL and CPython
// raises MemoryError in the code that asked, instead of the heap growing to 4 GB first.

const pageBytes = 65_536;

/** Refuses growth of one WebAssembly memory past a byte limit; the limit may change per call. */
export class MemoryCap {
	/** Largest size in bytes the memory may grow to (a memory already larger is left as it is). */
	limit: number;
	/** Growths refused since the counter was last reset (the caller resets it per run). */
	refused = 0;
	readonly #memory: WebAssembly.Memory;

	constructor(memory: WebAssembly.Memory, limit = Infinity) {
		this.#memory = memory;
		this.limit = limit;
		const grow = memory.grow.bind(memory);
		// An own property on this one memory: other modules (and other engines in a Node test
		// process) keep the prototype's grow.
		Object.defineProperty(memory, 'grow', {
			configurable: true,
			value: (delta: number): number => {
				const wanted = memory.buffer.byteLength + delta * pageBytes;
				if (delta > 0 && wanted > this.limit) {
					this.refused++;
					throw new RangeError(`WebAssembly heap capped at ${this.limit} bytes`);
				}
				return grow(delta);
			}
		});
	}

	/** Current size of the memory in bytes. */
	get bytes(): number {
		return this.#memory.buffer.byteLength;
	}
}

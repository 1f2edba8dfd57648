// Best-effort network confinement of the Python worker's JavaScript scope. It removes the ways
// user code reaches the network from the worker global (and from Python's `js` module, which is a
// view of that global); it is a guard against accidental or casual network use, not a security
// boundary (see the README for how far it goes).

/** Worker globals that can send a request, or run JavaScript that could (`eval`). */
export const networkGlobals = [
	'fetch',
	'XMLHttpRequest',
	'WebSocket',
	'WebSocketStream',
	'EventSource',
	'WebTransport',
	'importScripts',
	'Worker',
	'SharedWorker',
	'caches',
	'eval'
] as const;

interface Removed {
	owner: object;
	name: string;
	descriptor: PropertyDescriptor;
}

/** Removes and restores the network globals of one JavaScript realm (the worker's). */
export class NetworkGate {
	#removed: Removed[] = [];
	#blocked = false;

	/** Whether the network globals are currently removed. */
	get blocked(): boolean {
		return this.#blocked;
	}

	/** Removes every network global (own or inherited) from `globalThis`; idempotent. */
	block(): void {
		if (this.#blocked) return;
		for (const name of networkGlobals) {
			// Globals may live on the scope's prototype chain (WorkerGlobalScope.prototype).
			for (let owner: object | null = globalThis; owner; owner = Object.getPrototypeOf(owner)) {
				const descriptor = Object.getOwnPropertyDescriptor(owner, name);
				if (!descriptor) continue;
				if (descriptor.configurable && Reflect.deleteProperty(owner, name)) {
					this.#removed.push({ owner, name, descriptor });
				}
			}
		}
		this.#blocked = true;
	}

	/** Puts back what {@link block} removed; idempotent. */
	allow(): void {
		if (!this.#blocked) return;
		for (const { owner, name, descriptor } of this.#removed.reverse()) {
			Object.defineProperty(owner, name, descriptor);
		}
		this.#removed = [];
		this.#blocked = false;
	}
}

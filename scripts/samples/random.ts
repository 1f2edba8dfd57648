/** A seeded pseudo-random source (mulberry32), so the sample databases come out byte-identical. */
export class Random {
	#state: number;

	constructor(seed: number) {
		this.#state = seed >>> 0;
	}

	/** A float in [0, 1). */
	next(): number {
		this.#state = (this.#state + 0x6d2b79f5) >>> 0;
		let t = this.#state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	/** One element of a non-empty list. */
	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** True with probability p. */
	chance(p: number): boolean {
		return this.next() < p;
	}

	/** Up to n distinct elements of a list, in random order. */
	sample<T>(items: readonly T[], n: number): T[] {
		const copy = [...items];
		for (let i = copy.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[copy[i], copy[j]] = [copy[j], copy[i]];
		}
		return copy.slice(0, n);
	}

	/** A roughly bell-shaped value around mean (sum of three uniforms), clamped to [min, max]. */
	around(mean: number, spread: number, min: number, max: number): number {
		const v = mean + ((this.next() + this.next() + this.next()) / 1.5 - 1) * spread;
		return Math.min(max, Math.max(min, v));
	}
}

/** The ISO date (YYYY-MM-DD) `days` after `start` (itself ISO); pure calendar arithmetic in UTC. */
export function addDays(start: string, days: number): string {
	const ms = Date.parse(`${start}T00:00:00Z`) + days * 86_400_000;
	return new Date(ms).toISOString().slice(0, 10);
}

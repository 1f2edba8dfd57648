// Tests assert behaviour, not speed: how fast things are is measured by `npm run bench`. A test
// that waits for something bounds the wait only to tell a hang from a slow, loaded machine.

/** How long a step may take before a test calls it hung (far above any run on a loaded machine). */
export const hangMs = 30_000;

/** Resolves or rejects as `promise` does, or rejects naming `what` once `ms` have passed. */
export async function withDeadline<T>(promise: Promise<T>, what: string, ms = hangMs): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms (hung?)`)), ms);
	});
	try {
		return await Promise.race([promise, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

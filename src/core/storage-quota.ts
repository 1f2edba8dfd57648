// Framework-free so every store (packs, eval runs, traces, the editor's databases) words the same refusal alike.

/** Whether an error (a DOMException, or what IndexedDB or a wrapper hands back) is the browser's quota refusal. */
export function isQuotaError(error: unknown): boolean {
	const name = (error as { name?: unknown } | null)?.name;
	return name === 'QuotaExceededError' || /quota/i.test(String(error));
}

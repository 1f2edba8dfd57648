/** Outcome of asking the browser to keep our storage (caches, IndexedDB) under storage pressure. */
export type PersistState = 'persisted' | 'denied' | 'unsupported';

/** Asks for persistent storage once; the precached runtimes and saved work are then not evicted. */
export async function requestPersistentStorage(
	storage: StorageManager | undefined = globalThis.navigator?.storage
): Promise<PersistState> {
	if (!storage?.persist) return 'unsupported';
	try {
		if (await storage.persisted()) return 'persisted';
		return (await storage.persist()) ? 'persisted' : 'denied';
	} catch {
		return 'denied';
	}
}

// The few IndexedDB calls the trace store needs, as promises (idb-keyval's one-store databases
// cannot write a run's entry and its event batch in one transaction).

/** Opens (creating on first use) the trace database: `runs` by id, `events` by [run id, batch]. */
export function openIdb(name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const open = indexedDB.open(name, 1);
		open.onupgradeneeded = () => {
			const db = open.result;
			if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: 'id' });
			if (!db.objectStoreNames.contains('events')) db.createObjectStore('events');
		};
		open.onsuccess = () => {
			const db = open.result;
			// Another page upgrading the schema must not wait for this one.
			db.onversionchange = () => db.close();
			resolve(db);
		};
		open.onerror = () => reject(open.error);
		open.onblocked = () => reject(new Error('The trace database is blocked by another tab.'));
	});
}

/** A request's result. */
export function idbRequest<T>(request: IDBRequest): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result as T);
		request.onerror = () => reject(request.error);
	});
}

/** Resolves when the transaction commits; rejects with its error (e.g. QuotaExceededError) when it aborts. */
export function idbTransaction(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
		tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
	});
}

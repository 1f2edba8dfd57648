/** A runtime's start-up progress, shaped like the status bar's LoadStatus (src/state/load-status.ts). */
export interface SqlLoadProgress {
	stage: 'download' | 'start' | 'ready' | 'error';
	/** 0..1 within the stage when known. */
	progress: number | null;
	/** Extra words: the error message, the SQLite version … */
	detail: string;
}

/** Downloads sql-wasm.wasm with byte progress and compiles it once, so every respawn skips both. */
export async function compileSqlWasm(
	url: string | URL,
	onProgress: (p: SqlLoadProgress) => void
): Promise<WebAssembly.Module> {
	onProgress({ stage: 'download', progress: 0, detail: '' });
	const response = await fetch(url);
	if (!response.ok || !response.body) {
		throw new Error(`Cannot load sql.js: ${response.status} ${response.statusText} for ${url}`);
	}
	const total = Number(response.headers.get('Content-Length')) || 0;
	const chunks: Uint8Array[] = [];
	let loaded = 0;
	const reader = response.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		loaded += value.length;
		onProgress({
			stage: 'download',
			progress: total ? Math.min(1, loaded / total) : null,
			detail: ''
		});
	}
	const bytes = new Uint8Array(loaded);
	let at = 0;
	for (const c of chunks) {
		bytes.set(c, at);
		at += c.length;
	}
	onProgress({ stage: 'start', progress: null, detail: '' });
	return WebAssembly.compile(bytes);
}

/** A runtime's start-up progress, shaped like the status bar's LoadStatus (src/state/load-status.ts). */
export interface SqlLoadProgress {
	stage: 'idle' | 'download' | 'start' | 'ready' | 'error';
	/** 0..1 within the stage when known. */
	progress: number | null;
	/** Extra words: the error message, the SQLite version … */
	detail: string;
}

/**
 * Downloads and compiles sql-wasm.wasm once (every respawn reuses the module). It compiles while
 * downloading, from the fetch response itself so Chrome can cache the compiled code; a clone of the
 * response is read only to count bytes for the progress bar.
 */
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
	const counter = response.clone().body!.getReader();
	void (async () => {
		let loaded = 0;
		for (;;) {
			const { done, value } = await counter.read();
			if (done) break;
			loaded += value.length;
			onProgress({
				stage: 'download',
				progress: total ? Math.min(1, loaded / total) : null,
				detail: ''
			});
		}
		onProgress({ stage: 'start', progress: null, detail: '' });
	})().catch(() => undefined);
	const streaming = response.headers.get('Content-Type')?.startsWith('application/wasm');
	// compileStreaming needs the application/wasm type; a host that sends another falls back to bytes.
	return streaming
		? WebAssembly.compileStreaming(response)
		: WebAssembly.compile(await response.arrayBuffer());
}

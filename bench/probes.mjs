// In-page probes that run before the app's own scripts: put first in the page by the bench server
// (start-up series, bench/starts.mjs) or installed with Playwright's addInitScript (the rest). They read
// `globalThis.execlab` (exposed by src/main.ts) and record times relative to navigation start.

/**
 * Probe for start-up series: `mode` 'python' runs `1+1` through execlab.python, 'sql' runs `SELECT 1`
 * through execlab.sql, as soon as the client appears; sets `globalThis.__bench = {readyMs, ...}`.
 */
export function readyProbe(mode) {
	const sleep = () => new Promise((ok) => setTimeout(ok, 1));
	const go = async () => {
		let client;
		const since = performance.now();
		while (!(client = globalThis.execlab?.[mode])) {
			// The page is up well before this; a missing client is a missing feature, not slowness.
			if (performance.now() - since > 30_000) {
				globalThis.__bench = { error: `globalThis.execlab.${mode} is not exposed by the app` };
				return;
			}
			await sleep();
		}
		try {
			let result;
			if (mode === 'python') result = await client.run('1+1', {});
			else {
				// A fresh in-memory database, so the figure does not depend on which samples are bundled.
				if (!globalThis.__benchSqlOpened) {
					globalThis.__benchSqlOpened = true;
					await client.open('bench', new Uint8Array());
				}
				result = await client.exec('SELECT 1', { db: 'bench' });
			}
			const readyMs = performance.now();
			const value = mode === 'python' ? result.value : JSON.stringify(result.rows);
			// What the client says about its start (snapshot or not, load time), for the reader.
			let info = null;
			try {
				info = mode === 'python' ? JSON.parse(JSON.stringify(client.info ?? null)) : null;
			} catch {
				info = null;
			}
			globalThis.__bench = result.ok
				? { readyMs, value, info }
				: { error: JSON.stringify(result.error) };
		} catch (err) {
			globalThis.__bench = { error: String(err?.stack ?? err) };
		}
	};
	go();
}

/**
 * Probe for app.interactiveMs: focuses the first CodeMirror editor as soon as it exists, and records
 * in `globalThis.__benchTyped` the time at which one more `marker` appears inside an editor than there
 * was when typed input began (the editor may hold earlier markers restored from storage).
 */
export function typingProbe(marker) {
	const count = () => {
		let n = 0;
		for (const el of document.querySelectorAll('.cm-content')) {
			n += (el.textContent ?? '').split(marker).length - 1;
		}
		return n;
	};
	let before = null;
	let editorMs = null;
	// Diagnostics: main-thread tasks over 50 ms before the character appeared, and when the editor did.
	const longTasks = [];
	try {
		new PerformanceObserver((list) => {
			for (const e of list.getEntries())
				longTasks.push({ start: Math.round(e.startTime), ms: Math.round(e.duration) });
		}).observe({ type: 'longtask', buffered: true });
	} catch {
		// longtask entries are Chromium-only; the figure itself does not need them.
	}
	document.addEventListener('beforeinput', () => (before ??= count()), true);
	document.addEventListener('keydown', () => (before ??= count()), true);
	const observer = new MutationObserver(() => {
		const editor = document.querySelector('.cm-content');
		if (!editor) return;
		editorMs ??= performance.now();
		// As a user clicking into it would; again if the app re-renders the editor meanwhile.
		if (!document.activeElement?.closest?.('.cm-content')) editor.focus();
		if (before !== null && count() > before) {
			globalThis.__benchTyped = { readyMs: performance.now(), editorMs, longTasks };
			observer.disconnect();
		}
	});
	observer.observe(document, { subtree: true, childList: true, characterData: true });
}

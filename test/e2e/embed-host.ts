// A host page for the embed e2e tests: embeds ExecLab in an iframe, records every message it
// receives, and offers `request(message, transfer?)` resolving with the matching result.
import { serveStatic, type StaticServer } from './rig.ts';

/** The HTML of a host page embedding `appUrl` (`allow` is the iframe's permissions policy). */
export function hostPage(appUrl: string, allow = ''): string {
	return `<!doctype html>
<html><head><meta charset="utf-8"><title>host</title></head><body>
<script>
	const appOrigin = ${JSON.stringify(new URL(appUrl).origin)};
	window.received = [];
	const waiters = [];
	window.addEventListener('message', (event) => {
		if (event.origin !== appOrigin) return;
		window.received.push(event.data);
		for (const w of waiters.splice(0)) if (!w(event.data)) waiters.push(w);
	});
	/** Resolves with the first message matching the predicate (seen or future). */
	window.waitFor = (match) =>
		new Promise((resolve) => {
			const found = window.received.find(match);
			if (found) return resolve(found);
			waiters.push((m) => (match(m) ? (resolve(m), true) : false));
		});
	/** Posts a request and resolves with its result (for a message without id: the next null-id result). */
	window.request = (message, transfer = []) => {
		const id = message && typeof message === 'object' && 'id' in message ? message.id : null;
		const before = window.received.length;
		const frame = document.querySelector('iframe').contentWindow;
		frame.postMessage(message, appOrigin, transfer);
		return new Promise((resolve) => {
			const match = (m) => m && m.type === 'result' && m.id === id;
			const seenAfter = window.received.slice(before).find(match);
			if (seenAfter) return resolve(seenAfter);
			waiters.push((m) => (match(m) ? (resolve(m), true) : false));
		});
	};
	/** Posts without waiting (for messages that must get no answer). */
	window.post = (message) =>
		document.querySelector('iframe').contentWindow.postMessage(message, appOrigin);
</script>
<iframe src=${JSON.stringify(appUrl)} allow=${JSON.stringify(allow)} width="900" height="600"></iframe>
</body></html>`;
}

/**
 * Serves `/host.html` on a port of its own, embedding `appUrl` with `?embed=1&allowOrigin=` set to the
 * origin the page URL names in its `allowFrom` query parameter (`me`: its own; `other`: another host).
 */
export function serveHost(
	appUrl: string,
	options: { isolated?: boolean; allowFrom?: 'me' | 'other'; allow?: string } = {}
): Promise<StaticServer> {
	const { isolated = false, allowFrom = 'me', allow = '' } = options;
	return serveStatic({
		isolated,
		routes: {
			'/host.html': (url) => ({
				type: 'text/html; charset=utf-8',
				body: hostPage(
					`${appUrl}?embed=1&allowOrigin=${encodeURIComponent(url.searchParams.get(allowFrom) ?? '')}`,
					allow
				)
			})
		}
	});
}

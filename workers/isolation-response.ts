// Used by the service worker: on a static host that cannot send headers (GitHub Pages), the
// responses the worker serves carry them instead, so the page is cross-origin isolated after the
// worker takes control (one reload), as coi-serviceworker does.
import { isConfinedWorkerScript, workerPolicy } from './content-policy.js';
import { isolationHeaders } from './isolation-headers.js';

/**
 * Returns the response with COOP/COEP/CORP added where missing, and the worker CSP when `pathname`
 * is a confined worker's script and the host sent no CSP; headers the server already chose (e.g.
 * COEP credentialless) are kept. Opaque and error-free redirects are returned as they are.
 */
export function withIsolationHeaders(response: Response, pathname = ''): Response {
	// Opaque responses (status 0) cannot be read or rebuilt; they are not ours to change anyway.
	if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) {
		return response;
	}
	const wanted: Record<string, string> = isConfinedWorkerScript(pathname)
		? { ...isolationHeaders, 'Content-Security-Policy': workerPolicy }
		: isolationHeaders;
	const missing = Object.keys(wanted).filter((name) => !response.headers.has(name));
	if (missing.length === 0) return response;
	const headers = new Headers(response.headers);
	for (const name of missing) headers.set(name, wanted[name]);
	return new Response(response.body, {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}

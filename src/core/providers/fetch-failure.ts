import { ProviderError, abortedError } from './errors.ts';
import { isLoopback, isPrivate, safeUrl, stripQuery } from './addresses.ts';
import { pageOrigin, type CallContext } from './doctor.ts';
import { corsFixes, guessServer, startFixes } from './server-hints.ts';

/**
 * Explains a fetch that failed without an HTTP answer. Browsers hide why (a CORS refusal, a
 * stopped server and a blocked local-network request are all `TypeError: Failed to fetch`), so a
 * `no-cors` probe tells them apart: an opaque answer means the server is up but refuses CORS.
 */
export async function diagnoseFetchFailure(
	error: unknown,
	ctx: CallContext
): Promise<ProviderError> {
	if (ctx.signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
		return abortedError(error);
	}
	if (error instanceof ProviderError) return error;
	const url = stripQuery(ctx.url);
	const family = guessServer(ctx.url);
	const code = causeCode(error);
	const unreachable = (message: string, extra: string[] = []) =>
		new ProviderError('network', message, {
			url,
			cause: error,
			fixes: [...extra, ...startFixes(family)]
		});
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return unreachable(`The host name in ${url} cannot be found.`);
	}
	if (code) return unreachable(`Could not connect to ${url} (${code}).`);

	const origin = pageOrigin(ctx);
	const target = safeUrl(ctx.url);
	const page = safeUrl(origin);
	if (!target || !page || target.origin === page.origin) {
		return unreachable(`Could not connect to ${url}.`);
	}
	if (
		page.protocol === 'https:' &&
		target.protocol === 'http:' &&
		!isLoopback(target.hostname) &&
		!isPrivate(target.hostname)
	) {
		return new ProviderError(
			'network',
			`This page is served over https, and browsers block calls to plain http:// addresses such as ${url}.`,
			{
				url,
				cause: error,
				fixes: [
					'Use an https:// address for the server (e.g. behind a TLS proxy), or open ExecLab itself from http://localhost.'
				]
			}
		);
	}
	const up = await probeNoCors(ctx);
	if (up) {
		return new ProviderError(
			'cors',
			`The server at ${target.origin} is running but refuses requests from this page (CORS).`,
			{
				url,
				cause: error,
				fixes: corsFixes(origin, family)
			}
		);
	}
	const loopbackTarget = isLoopback(target.hostname);
	if (loopbackTarget || isPrivate(target.hostname)) {
		// Chrome's Local Network Access gate blocks the probe too; its permission state tells. A
		// "prompt" state only counts from a public page (a local page never needs the permission).
		const state = await localNetworkPermission(loopbackTarget);
		const publicPage = !isLoopback(page.hostname) && !isPrivate(page.hostname);
		if (state === 'denied' || (state === 'prompt' && publicPage)) {
			return new ProviderError(
				'local-network',
				state === 'denied'
					? 'The browser blocked this site from reaching servers on your computer or local network.'
					: 'The browser needs your permission before this site may reach servers on your computer or local network (or the server is not running).',
				{
					url,
					cause: error,
					fixes: [
						'When the browser asks to “look for and connect to any device on your local network”, click Allow.',
						'If you blocked it: click the icon left of the address bar → Site settings → Local network access → Allow, then reload.',
						'If ExecLab is embedded in another page, that page must grant it: `<iframe allow="local-network-access; loopback-network; local-network" …>`.',
						...(state === 'prompt' ? startFixes(family) : [])
					]
				}
			);
		}
	}
	if (ctx.isolated ?? (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) {
		// Cross-origin isolation (COEP require-corp) also blocks the no-cors probe, so "down" and
		// "refuses CORS" look the same from here: offer both remedies.
		return unreachable(
			`Could not reach ${url}: either the server is not running, or it refuses requests from this page (CORS). This page cannot tell which.`,
			corsFixes(origin, family)
		);
	}
	return unreachable(`Could not reach ${url}: nothing answers there.`);
}

async function probeNoCors(ctx: CallContext): Promise<boolean> {
	const doFetch = ctx.fetch ?? globalThis.fetch;
	try {
		await doFetch(ctx.url, {
			mode: 'no-cors',
			signal: AbortSignal.timeout(4000),
			cache: 'no-store'
		});
		return true;
	} catch {
		return false;
	}
}

async function localNetworkPermission(loopback: boolean): Promise<PermissionState | undefined> {
	const permissions = (globalThis as { navigator?: Navigator }).navigator?.permissions;
	if (!permissions) return undefined;
	// Chrome 142 named it `local-network-access`; later versions split loopback and local network.
	const names = loopback
		? ['loopback-network', 'local-network-access']
		: ['local-network', 'local-network-access'];
	for (const name of names) {
		try {
			return (await permissions.query({ name } as unknown as PermissionDescriptor)).state;
		} catch {
			// Not a permission this browser knows; try the next name.
		}
	}
	return undefined;
}

function causeCode(error: unknown): string | undefined {
	const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
	return typeof cause?.code === 'string' ? cause.code : undefined;
}

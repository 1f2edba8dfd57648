// Cold and warm start series: each profile is fresh (cold = its first navigation), then the same
// page is reloaded in that profile (warm). Times are read in the page, relative to navigation start.
import { launchProfile, waitForBench } from './browser.mjs';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Measures `profiles` cold starts and `profiles × reloads` warm starts of `url`; the page (or the init
 * script) must set `globalThis.__bench = {readyMs, ...}` when its first result is back. `settle` is
 * awaited after the cold start so caches (HTTP, wasm code cache, snapshots) can be written first.
 */
export async function measureStarts({
	url,
	profiles,
	reloads,
	settle = () => sleep(1500),
	initScript,
	initArg,
	log
}) {
	const cold = [];
	const warm = [];
	const extras = [];
	for (let p = 0; p < profiles; p++) {
		const browser = await launchProfile({ initScript, initArg });
		try {
			await browser.page.goto(url, { waitUntil: 'commit' });
			const first = await waitForBench(browser.page);
			cold.push(first.readyMs);
			extras.push({ kind: 'cold', ...first });
			await settle(browser.page);
			for (let r = 0; r < reloads; r++) {
				await browser.page.reload({ waitUntil: 'commit' });
				const again = await waitForBench(browser.page);
				warm.push(again.readyMs);
				extras.push({ kind: 'warm', ...again });
				await settle(browser.page);
			}
		} finally {
			if (browser.errors.length) log?.(`  page errors: ${browser.errors.slice(0, 3).join(' | ')}`);
			await browser.close();
		}
	}
	return { cold, warm, extras };
}

// The beforeAll/afterAll pair of almost every e2e file: one Chromium and the static servers it visits.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, serveStatic, type ServeOptions, type StaticServer } from './rig.ts';

/** A file's Chromium and its static servers by name, set once the `beforeAll` of {@link useRig} ran. */
export type Rig<K extends string> = { browser: Browser } & Record<K, StaticServer>;

/** Launches Chromium and starts one static server per entry before the file's tests; closes all after. */
export function useRig<K extends string>(servers: Record<K, ServeOptions>): Rig<K> {
	const rig = {} as Rig<K>;
	const started = rig as Partial<Record<K, StaticServer>>;
	const names = Object.keys(servers) as K[];
	beforeAll(async () => {
		rig.browser = await launchChromium();
		for (const name of names) started[name] = await serveStatic(servers[name]);
	});
	afterAll(async () => {
		await rig.browser?.close();
		for (const name of names) await started[name]?.close();
	});
	return rig;
}

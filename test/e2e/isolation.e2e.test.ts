import { expect, test } from 'vitest';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';

const rig = useRig({ isolated: { isolated: true }, plain: { isolated: false } });

test('the page is cross-origin isolated when the host sends COOP/COEP', async () => {
	const page = await openPage(rig.browser, rig.isolated.url);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	await page.close();
});

test('without the headers the page loads but is not isolated', async () => {
	const page = await openPage(rig.browser, rig.plain.url);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
	await page.close();
});

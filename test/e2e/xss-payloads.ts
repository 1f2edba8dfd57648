// The XSS payloads the Agent tab e2e tests stream as model output (agent-xss, page-csp).
import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startOpenAiServer, type Script, type ScriptedServer } from '../fixtures/index.ts';
import { openAgentTab, runToEnd, useSkyrlSqlSchool } from './agent-ui-helpers.ts';
import { useRig, type Rig } from './use-rig.ts';

/** Each payload sets `window.__xss` (and opens a dialog) if it ever executes. */
export const xssPayloads = [
	'<img src=x onerror="window.__xss=1;alert(1)">',
	'<script>window.__xss=2;alert(2)</script>',
	'<a href="javascript:window.__xss=3">html link</a>',
	'<svg onload="window.__xss=4"><script>window.__xss=5</script></svg>',
	'<iframe srcdoc="<script>parent.__xss=6;alert(6)</script>"></iframe>',
	'[markdown link](javascript:window.__xss=7)',
	'[mixed case](JaVaScRiPt:window.__xss=8)',
	'![image](x" onerror="window.__xss=9)',
	'<details open ontoggle="window.__xss=10">toggle</details>',
	'<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=11">',
	'<a href="data:text/html,<script>alert(12)</script>">data link</a>',
	'[ref link][r]\n\n[r]: javascript:window.__xss=13',
	'<javascript:window.__xss=14>',
	'<object data="javascript:window.__xss=15"></object><embed src="javascript:window.__xss=16">',
	'<form action="javascript:window.__xss=17"><button>go</button></form>',
	'<input autofocus onfocus="window.__xss=18">'
];

/**
 * {@link useRig} with the app, and a scripted OpenAI-compatible server whose script is built from
 * the payloads joined as prose (started before the file's tests, closed after them).
 */
export function useXssRig(
	script: (prose: string) => Script
): Rig<'app'> & { server: ScriptedServer } {
	const rig = useRig({ app: {} }) as Rig<'app'> & { server: ScriptedServer };
	beforeAll(async () => {
		rig.server = await startOpenAiServer(script(xssPayloads.join('\n\n')));
	});
	afterAll(async () => {
		await rig.server?.close();
	});
	return rig;
}

/** Opens the Agent tab and runs the school SQL task to its end against the payloads' server. */
export async function runPayloadSession(page: Page, serverUrl: string): Promise<void> {
	await openAgentTab(page);
	await useSkyrlSqlSchool(page, serverUrl);
	await runToEnd(page);
}

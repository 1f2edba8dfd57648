import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';
import { startAnthropicServer, startOpenAiServer } from '../fixtures/index.ts';

// The providers run in real Chromium from a tiny page bundled by Vite in beforeAll (the app does
// not expose them), so the browser's own fetch, CORS checks and stream reading are what we test.
let workDir: string;
let outDir: string;
let browser: Browser;
let plain: StaticServer;
let isolated: StaticServer;

beforeAll(async () => {
	workDir = mkdtempSync(join(tmpdir(), 'execlab-provider-e2e-'));
	outDir = join(workDir, 'dist');
	const providers = resolve('src/core/providers/index.ts');
	writeFileSync(
		join(workDir, 'entry.ts'),
		`import * as providers from ${JSON.stringify(providers)};\n(globalThis as any).providers = providers;\n`
	);
	writeFileSync(
		join(workDir, 'index.html'),
		'<!doctype html><meta charset="utf-8"><title>providers</title><script type="module" src="./entry.ts"></script>'
	);
	await build({
		root: workDir,
		base: './',
		configFile: false,
		logLevel: 'warn',
		build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 10_000 }
	});
	browser = await launchChromium();
	plain = await serveStatic({ root: outDir, isolated: false });
	isolated = await serveStatic({ root: outDir, isolated: true });
});

afterAll(async () => {
	await browser?.close();
	await plain?.close();
	await isolated?.close();
	if (workDir) rmSync(workDir, { recursive: true, force: true });
});

interface Outcome {
	text: string;
	error?: { name: string; kind: string; message: string; fixes: string[] };
}

/** Runs one chat generation in the page and reports the text and the error, if any. */
function runInPage(page: Page, baseUrl: string, abortAfterChunks = 0): Promise<Outcome> {
	return page.evaluate(
		async ({ baseUrl, abortAfterChunks }) => {
			const { OpenAiProvider } = (globalThis as any).providers;
			const provider = new OpenAiProvider({ baseUrl, model: 'qwen2.5-coder:7b' });
			const controller = new AbortController();
			let text = '';
			let n = 0;
			try {
				for await (const chunk of provider.generate({
					mode: 'chat',
					messages: [{ role: 'user', content: 'Count singers.' }],
					stop: ['</sql>'],
					signal: controller.signal
				})) {
					if (chunk.type === 'text') text += chunk.text;
					if (abortAfterChunks && ++n === abortAfterChunks) controller.abort();
				}
				return { text };
			} catch (e: any) {
				return { text, error: { name: e.name, kind: e.kind, message: e.message, fixes: e.fixes } };
			}
		},
		{ baseUrl, abortAfterChunks }
	);
}

describe('OpenAI provider and the connectivity doctor in Chromium', () => {
	test('with CORS headers the browser streams the answer, cut at the stop string', async () => {
		const server = await startOpenAiServer([
			{ chunks: ['<sql>SELECT COUNT(*) ', 'FROM singer</s', 'ql> tail'] }
		]);
		try {
			const page = await openPage(browser, plain.url);
			const outcome = await runInPage(page, `${server.url}/v1`);
			expect(outcome).toEqual({ text: '<sql>SELECT COUNT(*) FROM singer' });
			expect(server.requests[0].headers.origin).toBe(plain.url.replace(/\/$/, ''));
			await page.close();
		} finally {
			await server.close();
		}
	});

	test('Stop in the browser aborts the stream and the server sees the socket close', async () => {
		const server = await startOpenAiServer([
			{ chunks: Array.from({ length: 40 }, (_, i) => `t${i} `), delayMs: 150 }
		]);
		try {
			const page = await openPage(browser, plain.url);
			const outcome = await runInPage(page, server.url, 2);
			expect(outcome.text).toBe('t0 t1 ');
			expect(outcome.error?.kind).toBe('aborted');
			expect(await server.requests[0].outcome).toBe('client-closed');
			await page.close();
		} finally {
			await server.close();
		}
	});

	test('a server without CORS headers is diagnosed as "cors" with the Ollama fix', async () => {
		const server = await startOpenAiServer([{ chunks: ['never sent'] }], { cors: false });
		try {
			const page = await openPage(browser, plain.url);
			const outcome = await runInPage(page, server.url);
			expect(outcome.error?.name).toBe('ProviderError');
			expect(outcome.error?.kind).toBe('cors');
			expect(outcome.error?.message).toContain('refuses requests from this page');
			const origin = plain.url.replace(/\/$/, '');
			expect(outcome.error?.fixes.join('\n')).toContain(`OLLAMA_ORIGINS=${origin} ollama serve`);
			// The preflight was refused, so the POST never reached the server; only the probe did.
			expect(server.requests.map((r) => r.method)).toEqual(['GET']);
			await page.close();
		} finally {
			await server.close();
		}
	});

	test('a stopped server is diagnosed as "network" (unreachable), not CORS', async () => {
		const server = await startOpenAiServer([]);
		const url = server.url;
		await server.close();
		const page = await openPage(browser, plain.url);
		const outcome = await runInPage(page, url);
		expect(outcome.error?.kind).toBe('network');
		expect(outcome.error?.message).toContain('nothing answers');
		await page.close();
	});

	test('on a cross-origin isolated page the probe is blocked too, so both remedies are given', async () => {
		const server = await startOpenAiServer([{ chunks: ['x'] }], { cors: false });
		try {
			const page = await openPage(browser, isolated.url);
			expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
			const outcome = await runInPage(page, server.url);
			expect(outcome.error?.kind).toBe('network');
			expect(outcome.error?.message).toContain('cannot tell which');
			expect(outcome.error?.fixes.join('\n')).toContain('OLLAMA_ORIGINS=');
			await page.close();
		} finally {
			await server.close();
		}
	});

	test('with CORS, an isolated page streams normally', async () => {
		const server = await startOpenAiServer([{ chunks: ['ok'] }]);
		try {
			const page = await openPage(browser, isolated.url);
			expect(await runInPage(page, server.url)).toEqual({ text: 'ok' });
			await page.close();
		} finally {
			await server.close();
		}
	});
});

describe('Anthropic provider in Chromium', () => {
	test('streams text and a tool call through the browser, with the direct-access header', async () => {
		const server = await startAnthropicServer([
			{
				chunks: [
					'Let me check. ',
					{ toolCall: { id: 'toolu_9', name: 'run_sql', arguments: '{"query":"SELECT 1"}' } }
				]
			}
		]);
		try {
			const page = await openPage(browser, plain.url);
			const result = await page.evaluate(async (baseUrl) => {
				const { AnthropicProvider } = (globalThis as any).providers;
				const provider = new AnthropicProvider({
					baseUrl,
					model: 'claude-test',
					apiKey: 'sk-ant-e2e'
				});
				const chunks: unknown[] = [];
				for await (const chunk of provider.generate({
					mode: 'chat',
					messages: [{ role: 'user', content: 'Count.' }],
					tools: [{ name: 'run_sql', description: 'Run SQL', parameters: { type: 'object' } }]
				}))
					chunks.push(chunk);
				return chunks;
			}, server.url);
			expect(result.slice(0, 2)).toEqual([
				{ type: 'text', text: 'Let me check. ' },
				{
					type: 'tool-call',
					call: { id: 'toolu_9', name: 'run_sql', arguments: '{"query":"SELECT 1"}' }
				}
			]);
			expect(server.requests[0].headers['anthropic-dangerous-direct-browser-access']).toBe('true');
			expect(server.requests[0].headers['x-api-key']).toBe('sk-ant-e2e');
			await page.close();
		} finally {
			await server.close();
		}
	});
});

describe('WebLLM in headless Chromium', () => {
	test('without WebGPU it fails with webgpu-missing, before fetching the WebLLM chunk', async () => {
		const page = await openPage(browser, plain.url);
		const fetched: string[] = [];
		page.on('request', (r) => fetched.push(r.url()));
		const result = await page.evaluate(async () => {
			const { createProvider } = (globalThis as any).providers;
			const provider = await createProvider({
				kind: 'webllm',
				model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC'
			});
			try {
				for await (const _ of provider.generate({
					mode: 'chat',
					messages: [{ role: 'user', content: 'hi' }]
				})) {
					// no chunk is expected
				}
				return { ok: true };
			} catch (e: any) {
				return { kind: e.kind, message: e.message, detail: e.detail, fixes: e.fixes };
			}
		});
		expect(result).toMatchObject({ kind: 'webgpu-missing' });
		expect(result.message).toContain('WebGPU');
		expect(result.fixes?.length).toBeGreaterThan(1);
		console.log('[webgpu-missing detail]', result.detail);
		// The provider module chunk loaded; the multi-megabyte WebLLM chunk did not.
		const assets = readdirSync(join(outDir, 'assets'));
		const webllmChunk = assets.find((f) =>
			readFileSync(join(outDir, 'assets', f), 'utf8').includes(
				'Cannot find WebGPU in the environment'
			)
		);
		expect(webllmChunk).toBeDefined();
		expect(fetched.some((u) => u.endsWith(webllmChunk!))).toBe(false);
		await page.close();
	});

	test('WebLLM sits in its own chunk, not in the entry bundle', () => {
		const html = readFileSync(join(outDir, 'index.html'), 'utf8');
		const entry = /src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1];
		expect(entry).toBeDefined();
		const entryCode = readFileSync(join(outDir, 'assets', entry!), 'utf8');
		expect(entryCode).not.toContain('Cannot find WebGPU in the environment');
		expect(entryCode.length).toBeLessThan(200_000);
	});
});

describe("Chrome's Local Network Access gate", () => {
	test('a public page denied loopback access gets "local-network" with the permission fix', async () => {
		const server = await startOpenAiServer([{ chunks: ['x'] }]);
		// Chromium treats the page's address as public (as a hosted ExecLab would be) and the user has
		// blocked "local network access" for it; the fixture server stays on loopback.
		const context = await chromium.launchPersistentContext(
			mkdtempSync(join(tmpdir(), 'execlab-lna-')),
			{
				executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
				headless: true,
				args: [
					'--no-sandbox',
					'--disable-gpu',
					`--ip-address-space-overrides=127.0.0.1:${plain.port}=public`
				]
			}
		);
		try {
			const page = await context.newPage();
			await page.goto(plain.url);
			const cdp = await context.newCDPSession(page);
			await cdp.send('Browser.setPermission', {
				permission: { name: 'loopback-network' },
				setting: 'denied',
				origin: plain.url.replace(/\/$/, '')
			});
			const outcome = await runInPage(page, server.url);
			expect(outcome.error?.kind).toBe('local-network');
			expect(outcome.error?.fixes.join('\n')).toContain('Local network access');
			expect(server.requests).toHaveLength(0);
		} finally {
			await context.close();
			await server.close();
		}
	});
});

import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { buildSample } from '../../scripts/make-samples.ts';
import { school } from '../../scripts/samples/school.ts';
import { getPreset } from '../../src/core/presets/index.ts';
import type { ChatMessage } from '../../src/core/providers/types.ts';
import { importTrace, traceFromEvents } from '../../src/core/trace/trace.ts';
import { TraceImportError, traceToV1, traceToV2 } from '../../src/core/trace/trace-v2.ts';
import { importExeclab, toExeclabJson, toExeclabJsonl } from '../../src/core/export/execlab.ts';
import { toChatJsonl, toChatMessages, type OpenAiMessage } from '../../src/core/export/chat.ts';
import { intercodeLogText } from '../../src/core/export/intercode.ts';
import {
	letiInstanceFor,
	letiProgram,
	letiTraceback,
	toLetiInstances,
	LETI_INCORRECT
} from '../../src/core/export/leti.ts';
import { toSkyrlSqlRow } from '../../src/core/export/skyrl.ts';
import { exportTraces } from '../../src/core/export/index.ts';
import { demoSessions } from './helpers/demo-sessions.ts';
import { nodeRuntime, type NodeRuntime } from './helpers/node-runtime.ts';
import { ScriptedProvider } from './helpers/recorded-provider.ts';
import { collect } from './helpers/run-events.ts';

const presets = demoSessions.map((s) => s.preset);
const demo = (preset: string) =>
	importTrace(
		readFileSync(new URL(`../../src/data/traces/${preset}.json`, import.meta.url), 'utf8')
	);
let ex: NodeRuntime;

beforeAll(async () => {
	ex = await nodeRuntime({ python: true });
	ex.sqlEngine.open('school', buildSample(await initSqlJs(), school).bytes);
});

describe('trace schema v2', () => {
	test.each(presets.map((p) => [p]))('%s: the recorded v1 trace reads as v2 and back', (p) => {
		const v1 = demo(p);
		const v2 = traceToV2(v1);
		expect(traceToV1(v2)).toEqual(v1);
		expect(importExeclab(toExeclabJson(v2))).toEqual([v2]);
		expect(importExeclab(JSON.stringify(v1))).toEqual([v2]);
		expect(v2.outcome.reward).toBe(1);
		expect(['answer', 'solved']).toContain(v2.outcome.reason);
	});

	test('the SQL traces name their database; a run without a stop event is interrupted', () => {
		const v2 = traceToV2(demo('skyrl-sql'));
		expect(v2.environment.databases.map((d) => d.name)).toEqual(['school']);
		const cut = demo('python-feedback');
		cut.events = cut.events.filter((e) => e.type !== 'stop');
		expect(traceToV2(cut).outcome.reason).toBe('interrupted');
	});

	test('JSONL of every demo trace reads back equal', () => {
		const all = presets.map((p) => traceToV2(demo(p)));
		expect(importExeclab(toExeclabJsonl(all))).toEqual(all);
	});
});

describe('import refuses a bad file naming record, field and why', () => {
	const good = toExeclabJson(traceToV2(demo('fenced')));
	const fail = (text: string) => {
		try {
			importExeclab(text);
		} catch (e) {
			expect(e).toBeInstanceOf(TraceImportError);
			return (e as Error).message;
		}
		throw new Error('accepted');
	};

	test('truncated JSON', () => {
		expect(fail(good.slice(0, good.length / 2))).toMatch(/^record 1: \(root\): not JSON/);
	});
	test('wrong types', () => {
		const t = JSON.parse(good);
		t.events[2].t = 'soon';
		expect(fail(JSON.stringify(t))).toMatch(/^record 1: events\.2\.t: .*number/);
	});
	test('wrong version and wrong format', () => {
		expect(fail(good.replace('"version": 2', '"version": 3'))).toBe(
			'record 1: version: expected 1 or 2, got 3'
		);
		expect(fail('{"format":"other","version":2}')).toMatch(/^record 1: format: expected/);
	});
	test('a bad line of a JSONL file is named and nothing is returned', () => {
		const line = JSON.stringify(JSON.parse(good));
		const bad = JSON.parse(good);
		delete bad.outcome;
		const text = [line, line, JSON.stringify(bad), line].join('\n');
		expect(fail(text)).toMatch(/^record 3: outcome: /);
	});
	test('50 MB of junk', () => {
		expect(fail('x'.repeat(50 * 1024 * 1024))).toMatch(/^record 1: \(root\): file too large/);
		expect(fail('{' + '"a":1,'.repeat(1_000_000))).toMatch(/^record 1: \(root\): not JSON/);
	});
	test('an array or a number is not a trace', () => {
		expect(fail('[1,2]')).toMatch(/^record 1: \(root\): not JSON|expected a JSON object/);
		expect(fail('42')).toBe('record 1: (root): expected a JSON object');
	});
});

const openAi = (m: ChatMessage): OpenAiMessage => ({
	role: m.role,
	content: m.content,
	...(m.toolCalls?.length
		? {
				tool_calls: m.toolCalls.map((c) => ({
					id: c.id,
					type: 'function' as const,
					function: { name: c.name, arguments: c.arguments }
				}))
			}
		: {}),
	...(m.toolCallId ? { tool_call_id: m.toolCallId } : {})
});

describe('Chat JSONL holds the messages exactly as the loop sent them', () => {
	test.each(demoSessions.filter((s) => s.mode === 'chat').map((s) => [s.preset, s] as const))(
		'%s',
		async (_, s) => {
			const provider = new ScriptedProvider(s.replies);
			const events = await collect({
				provider,
				runtime: ex,
				preset: getPreset(s.preset),
				task: s.task,
				mode: s.mode,
				engines: ex.engines
			});
			const messages = toChatMessages(traceToV2(traceFromEvents(events)));
			// The call event counts the messages sent (a preset's window may hand the provider the
			// live array, which later turns extend).
			const lastCall = events.findLast((e) => e.type === 'call');
			if (lastCall?.type !== 'call' || lastCall.messages === undefined) throw new Error('no call');
			const sent = provider.requests.at(-1)!.messages!.slice(0, lastCall.messages).map(openAi);
			// The last request carries everything before the final model turn, which follows it.
			expect(messages.slice(0, sent.length)).toEqual(sent);
			// After it: the final model turn, and the observation the run ended on, if any.
			const [answer, ...after] = messages.slice(sent.length);
			expect(answer.role).toBe('assistant');
			const observations = events.filter((e) => e.type === 'observation');
			const tail = observations.filter((o) => o.t > lastCall.t);
			expect(after).toEqual(tail.map((o) => ({ role: 'user', content: o.text })));
			const line = JSON.parse(toChatJsonl([traceToV2(traceFromEvents(events))]));
			expect(line).toEqual({ messages });
		}
	);
});

describe('LeTI reward-conditioned sequences', () => {
	// Expected tracebacks: LeTI's own leti/utils/execute/__init__.py exec_code (xingyaoww/LeTI@6338808),
	// run natively under CPython 3.11 on the same programs.
	const leti = {
		demo: 'Traceback (most recent call last):\n  File "<string>", line 12, in <module>\n    print(run_length("aaab"))\n\n  File "<string>", line 6, in run_length\n    while s[j] == s[i]:\nIndexError: string index out of range\n',
		typeError:
			"Traceback (most recent call last):\n  File \"<string>\", line 4, in <module>\n    f(1)\n\n  File \"<string>\", line 2, in f\n    return a + '1'\nTypeError: unsupported operand type(s) for +: 'int' and 'str'\n",
		syntax:
			'Traceback (most recent call last):\n  File "<string>", line 2\n\n    if x\n\nSyntaxError: expected \':\'\n'
	};
	const programs = {
		typeError: "def f(a):\n    return a + '1'\n\nf(1)",
		syntax: 'x = 1\nif x\n    print(x)'
	};

	test('the python-feedback traceback is rebuilt as LeTI prints it', () => {
		const instances = toLetiInstances(traceToV2(demo('python-feedback')));
		expect(instances[0].language_feedback).toBe(LETI_INCORRECT + leti.demo);
		expect(instances[0].success).toBe(false);
		expect(instances[0].text).toBe(
			`<|bad|><|lang_feedback|>${LETI_INCORRECT + leti.demo}<|/lang_feedback|>${instances[0].text_b}`
		);
		const last = instances.at(-1)!;
		expect(last.success).toBe(true);
		expect(last.text.startsWith('<|good|><|lang_feedback|>The code is working correctly.')).toBe(
			true
		);
		expect(
			last.text_b.startsWith(traceToV2(demo('python-feedback')).header.prompt.completion)
		).toBe(true);
	});

	test.each(Object.keys(programs).map((k) => [k as keyof typeof programs]))(
		'%s: our Pyodide error, rebuilt, equals LeTI',
		async (k) => {
			const r = await ex.python.run(programs[k], { session: `leti-${k}` });
			expect(r.ok).toBe(false);
			expect(letiTraceback(r.error!, programs[k])).toBe(leti[k]);
		}
	);
});

describe("LeTI's own MBPP program (problem + generation + tests)", () => {
	// Expected: LeTI's exec_code (xingyaoww/LeTI@6338808 leti/utils/execute/__init__.py) run natively
	// on process_mbpp.py's prompt for the demo task + each generation + "\n" + its tests.
	const gens = {
		wrong: '\ndef run_length(s):\n    return s\n',
		crash: '\ndef run_length(s):\n    return s[0] + str(len(s)) + s[99]\n'
	};
	const expected = {
		wrong:
			"Traceback (most recent call last):\n  File \"<string>\", line 8, in <module>\n    assert run_length('aaab') == 'a3b1'\nAssertionError\n",
		crash:
			'Traceback (most recent call last):\n  File "<string>", line 8, in <module>\n    assert run_length(\'aaab\') == \'a3b1\'\n\n  File "<string>", line 6, in run_length\n    return s[0] + str(len(s)) + s[99]\nIndexError: string index out of range\n'
	};

	test.each(Object.keys(gens).map((k) => [k as keyof typeof gens]))('%s', async (k) => {
		const task = demo('python-feedback').header.task;
		if ('question' in task) throw new Error('not a python task');
		const r = await ex.python.run(letiProgram(task, gens[k]), { session: `leti-mbpp-${k}` });
		const inst = letiInstanceFor(task, gens[k], r.error ?? null);
		expect(inst.language_feedback).toBe(LETI_INCORRECT + expected[k]);
		expect(inst.text_b).toBe(`"""\n${task.description}\n${task.tests[0]}\n"""` + gens[k]);
		expect(inst.text).toBe(
			`<|bad|><|lang_feedback|>${inst.language_feedback}<|/lang_feedback|>${inst.text_b}`
		);
	});

	test('a passing generation is <|good|>', async () => {
		const task = demo('python-feedback').header.task;
		if ('question' in task || !task.gold) throw new Error('no gold');
		const gen = '\n' + task.gold + '\n';
		const r = await ex.python.run(letiProgram(task, gen), { session: 'leti-mbpp-gold' });
		expect(r.ok).toBe(true);
		expect(letiInstanceFor(task, gen, null).text.startsWith('<|good|><|lang_feedback|>')).toBe(
			true
		);
	});
});

// InterCode's evaluation logs (export and import): test/unit/intercode-format.test.ts.

describe('SkyRL-SQL dataset rows', () => {
	test('carry the fields skyrl_gym SQLEnv reads', () => {
		const trace = traceToV2(demo('skyrl-sql'));
		const row = toSkyrlSqlRow(trace);
		expect(row).toMatchObject({
			env_class: 'text2sql',
			db_id: 'school',
			data: 'spider',
			reward_spec: { method: 'rule', ground_truth: trace.header.task.gold }
		});
		expect(row.prompt.at(-1)).toEqual({ role: 'user', content: trace.header.prompt.user });
		expect(() => toSkyrlSqlRow(traceToV2(demo('python-feedback')))).toThrow(RangeError);
	});
});

describe('exportTraces', () => {
	test('each format gives its exporter text', () => {
		const sql = traceToV2(demo('intercode-react'));
		expect(importExeclab(exportTraces([sql], 'json'))).toEqual([sql]);
		expect(importExeclab(exportTraces([sql, sql], 'jsonl'))).toEqual([sql, sql]);
		expect(JSON.parse(exportTraces([sql], 'chat'))).toEqual({ messages: toChatMessages(sql) });
		expect(JSON.parse(exportTraces([sql], 'skyrl'))).toEqual(toSkyrlSqlRow(sql));
		expect(exportTraces([sql], 'intercode')).toBe(intercodeLogText([sql]));
		const py = traceToV2(demo('python-feedback'));
		expect(
			exportTraces([py], 'leti')
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l))
		).toEqual(toLetiInstances(py));
		expect(() => exportTraces([sql, sql], 'json')).toThrow(RangeError);
	});
});

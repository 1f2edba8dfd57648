import { describe, expect, test } from 'vitest';
import { getPreset } from '../../src/core/presets/index.ts';
import type { PresetId } from '../../src/core/presets/index.ts';
import type { ScriptPiece } from '../fixtures/index.ts';
import { wireTask, modelText, wireSuite } from './helpers/agent-wire.ts';
import { comparable, ofType } from './helpers/run-events.ts';

// However the server chunks the stream (tags split across SSE events, one character per event, a cut
// at every index), the loop sees the same turns: identical events once text deltas are merged.

const suite = wireSuite();
const { wires } = suite;
const task = wireTask;

type Chunking = (text: string) => string[];
const whole: Chunking = (text) => [text];
const perChar: Chunking = (text) => [...text];
/** Cuts the text right after each occurrence of the given fragments. */
const after =
	(...fragments: string[]): Chunking =>
	(text) => {
		const cuts = new Set<number>();
		for (const f of fragments) {
			for (let i = text.indexOf(f); i >= 0; i = text.indexOf(f, i + 1)) cuts.add(i + f.length);
		}
		const points = [0, ...[...cuts].sort((a, b) => a - b), text.length];
		return points
			.slice(1)
			.map((end, i) => text.slice(points[i], end))
			.filter(Boolean);
	};
const at =
	(index: number): Chunking =>
	(text) =>
		[text.slice(0, index), text.slice(index)].filter(Boolean);

/** Runs a preset over OpenAI with each reply chunked as given; returns comparable events and the server. */
async function run(
	presetId: PresetId,
	replies: string[],
	chunking: Chunking,
	options: { honorStop?: boolean; mode?: 'chat' | 'completion' } = {}
) {
	const { server, provider } = await wires.openAi(
		replies.map((text) => ({
			chunks: chunking(text) as ScriptPiece[],
			honorStop: options.honorStop
		}))
	);
	const events = await suite.drive({
		provider,
		preset: getPreset(presetId),
		task,
		mode: options.mode
	});
	return { events, compared: comparable(events), server };
}

const skyrlReplies = [
	'<think>Ich zähle.</think>\n<sql>SELECT count(*) FROM sänger</sql>',
	'<think>6.</think>\n<solution>SELECT count(*) FROM sänger</solution>'
];

describe('SkyRL tags split across chunks', () => {
	test('server honours stops: opening tags split (`<s` + `ql>`) and one char per chunk = unsplit', async () => {
		const base = await run('skyrl-sql', skyrlReplies, whole);
		expect(ofType(base.events, 'reward')).toMatchObject([{ value: 1 }]);
		for (const chunking of [after('<s', '<solu', '</thi'), perChar]) {
			const other = await run('skyrl-sql', skyrlReplies, chunking);
			expect(other.compared).toEqual(base.compared);
			expect(other.server.requests[1].body.prompt).toBe(base.server.requests[1].body.prompt);
		}
	});

	test('server ignores stops: `</s` + `ql>`, `</solu` + `tion>`, one char per chunk and a cut at every index = unsplit', async () => {
		const replies = [`${skyrlReplies[0]}\n\n<observation>erfunden</observation>`, skyrlReplies[1]];
		const options = { honorStop: false, mode: 'chat' as const };
		const base = await run('skyrl-sql', replies, whole, options);
		expect(modelText(base.events)).toEqual(skyrlReplies);
		expect(ofType(base.events, 'call-end').map((e) => e.cut)).toEqual([true, true]);
		const chunkings = [after('</s', '</solu'), perChar];
		for (let i = 1; i < replies[0].length; i++) chunkings.push(at(i));
		for (const chunking of chunkings) {
			const other = await run('skyrl-sql', replies, chunking, options);
			expect(other.compared).toEqual(base.compared);
			expect(other.server.requests[1].body.messages).toEqual(base.server.requests[1].body.messages);
		}
	});

	test('Anthropic, one character per SSE event: same observation, answer and reward', async () => {
		const events = async (chunking: Chunking) => {
			const { provider } = await wires.anthropic(
				skyrlReplies.map((text) => ({ chunks: chunking(text) }))
			);
			return suite.drive({ provider, preset: getPreset('skyrl-sql'), task, mode: 'chat' });
		};
		const [a, b] = [await events(whole), await events(perChar)];
		expect(comparable(b)).toEqual(comparable(a));
		expect(ofType(b, 'reward')).toMatchObject([{ value: 1 }]);
	});
});

describe('stop markers and fences split across chunks', () => {
	test('ReAct completion: `\\nObservation 1:` split at every index when the server runs on', async () => {
		const replies = [
			' Zählen.\nAction 1: execute[SELECT count(*) FROM sänger]\nObservation 1: [(99,)]\nThought 2: erfunden',
			' Fertig.\nAction 2: submit'
		];
		const options = { honorStop: false, mode: 'completion' as const };
		const base = await run('intercode-react', replies, whole, options);
		expect(ofType(base.events, 'observation').map((o) => o.text)).toEqual([
			'Observation 1: [(6,)]\n'
		]);
		expect(modelText(base.events)[0]).toBe(
			' Zählen.\nAction 1: execute[SELECT count(*) FROM sänger]'
		);
		const chunkings = [after('\n', 'Obs'), perChar];
		for (let i = 1; i < replies[0].length; i++) chunkings.push(at(i));
		for (const chunking of chunkings) {
			const other = await run('intercode-react', replies, chunking, options);
			expect(other.compared).toEqual(base.compared);
			expect(other.server.requests[1].body.prompt).toBe(base.server.requests[1].body.prompt);
		}
	});

	test('fenced: the closing fence split (`\\n`` + ``` `` `` ```) and one char per chunk', async () => {
		const replies = [
			'Zählen:\n```sql\nSELECT count(*) FROM sänger\n```\nund weiter…',
			'Es sind 6.'
		];
		const base = await run('fenced', replies, whole);
		expect(ofType(base.events, 'reward')).toMatchObject([{ value: 1 }]);
		for (const chunking of [after('\n`', '``', '```s'), perChar]) {
			expect((await run('fenced', replies, chunking)).compared).toEqual(base.compared);
		}
	});

	test('tool-call arguments in 1 fragment or 25: the same action and tool message', async () => {
		const script = (parts: number) => [
			{
				chunks: [
					{
						toolCall: {
							id: 'call_1',
							name: 'run_sql',
							arguments: '{"query": "SELECT count(*) FROM sänger"}'
						},
						parts
					}
				]
			},
			{
				chunks: [
					{
						toolCall: {
							id: 'call_2',
							name: 'submit',
							arguments: '{"answer": "SELECT count(*) FROM sänger"}'
						},
						parts
					}
				]
			}
		];
		const results = [];
		for (const parts of [1, 25]) {
			const { server, provider } = await wires.openAi(script(parts));
			const events = await suite.drive({ provider, preset: getPreset('tools'), task });
			results.push({ compared: comparable(events), sent: server.requests[1].body.messages });
		}
		expect(results[1]).toEqual(results[0]);
	});
});

import { describe, expect, test } from 'vitest';
import { StopParser, TagParser, type TurnParser } from '../../src/core/agent/stream-parser.ts';
import { parseReactAction, splitReactTurn } from '../../src/core/presets/intercode-react.ts';
import { parseIntercodeSql } from '../../src/core/presets/intercode-try-again.ts';

const skyrlTags = () =>
	new TagParser([
		{ open: '<sql>', close: '</sql>', role: 'action', kind: 'sql' },
		{ open: '<solution>', close: '</solution>', role: 'answer', kind: 'sql' }
	]);

/** Feeds chunks until the parser is done; returns the text it let through, the rest and the outcome. */
function feed(parser: TurnParser, chunks: string[], finishReason = 'stop', stops: string[] = []) {
	let text = '';
	for (const chunk of chunks) {
		text += parser.push(chunk);
		if (parser.done) break;
	}
	const end = parser.finish({ finishReason, stops });
	return { text: text + end.appended, rest: parser.rest, outcome: end.outcome };
}

/** Every way of cutting a string in two, plus one character at a time. */
function splits(s: string): string[][] {
	const out = [[s], [...s]];
	for (let i = 1; i < s.length; i++) out.push([s.slice(0, i), s.slice(i)]);
	return out;
}

describe('TagParser', () => {
	const stream =
		'<think>Count the singers; "<sq" is not a tag.</think>\n<sql>SELECT count(*) FROM sänger</sql>\n\n<observation>fake';

	test('gives identical events however the stream is split', () => {
		const expected = feed(skyrlTags(), [stream]);
		expect(expected.outcome).toEqual({
			type: 'action',
			kind: 'sql',
			code: 'SELECT count(*) FROM sänger',
			raw: '<sql>SELECT count(*) FROM sänger</sql>'
		});
		expect(expected.text.endsWith('</sql>')).toBe(true);
		for (const chunks of splits(stream)) {
			const got = feed(skyrlTags(), chunks);
			expect(got.text).toBe(expected.text);
			expect(got.outcome).toEqual(expected.outcome);
		}
	});

	test('an answer ends the turn; what follows it in the chunk is kept apart, never run', () => {
		const got = feed(skyrlTags(), [
			'<think>x</think><solution>SELECT 1</solution><sql>DROP TABLE t</sql>'
		]);
		expect(got.outcome).toMatchObject({ type: 'answer', code: 'SELECT 1' });
		expect(got.rest).toBe('<sql>DROP TABLE t</sql>');
	});

	test('a closing tag swallowed by a stop string is restored', () => {
		const got = feed(skyrlTags(), ['<think>a</think><sql>SELECT 2'], 'stop', [
			'</sql>',
			'</solution>'
		]);
		expect(got.outcome).toMatchObject({ type: 'action', code: 'SELECT 2' });
		expect(got.text.endsWith('<sql>SELECT 2</sql>')).toBe(true);
	});

	test('a tag never closed (length limit) is an invalid action', () => {
		const got = feed(skyrlTags(), ['<think>a</think><sql>SELECT 2 FROM'], 'length', ['</sql>']);
		expect(got.outcome).toEqual({ type: 'invalid', reason: 'unclosed', raw: '<sql>SELECT 2 FROM' });
	});

	test('no tag at all is "none"', () => {
		expect(feed(skyrlTags(), ['just talking']).outcome).toEqual({ type: 'none' });
	});

	test('fenced blocks split anywhere', () => {
		const fenced = () =>
			new TagParser([{ open: '```python\n', close: '\n```', role: 'action', kind: 'python' }]);
		const s = 'Let me try:\n```python\nprint(sum([1, 2]))\n```\nand more';
		for (const chunks of splits(s)) {
			const got = feed(fenced(), chunks);
			expect(got.outcome).toMatchObject({ type: 'action', code: 'print(sum([1, 2]))' });
			expect(got.text).toBe('Let me try:\n```python\nprint(sum([1, 2]))\n```');
		}
	});
});

describe('StopParser (InterCode ReAct)', () => {
	const read = (text: string) => {
		const split = splitReactTurn(text, 1);
		const action = split && parseReactAction(split.action);
		return action && 'code' in action
			? ({ type: 'action', kind: 'sql', code: action.code, raw: split!.action } as const)
			: ({ type: 'invalid', reason: 'x', raw: text } as const);
	};
	const stream =
		" I need names.\nAction 1: execute[SELECT name FROM t WHERE a IN (SELECT b FROM [u]) ORDER BY x[1]]\nObservation 1: [('hallucinated',)]";

	test('stops at "\\nObservation 1:" however split, holding back a possible marker start', () => {
		const base = feed(new StopParser(['\nObservation 1:'], read), [stream]);
		expect(base.text).toBe(stream.slice(0, stream.indexOf('\nObservation 1:')));
		expect(base.outcome).toMatchObject({
			type: 'action',
			code: 'SELECT name FROM t WHERE a IN (SELECT b FROM [u]) ORDER BY x[1]'
		});
		for (const chunks of splits(stream)) {
			const got = feed(new StopParser(['\nObservation 1:'], read), chunks);
			expect(got.text).toBe(base.text);
			expect(got.outcome).toEqual(base.outcome);
		}
	});

	test('ReAct action parsing follows sql_parser_react', () => {
		expect(parseReactAction('submit')).toEqual({ submit: true });
		expect(parseReactAction('execute[SELECT 1; DROP TABLE x]')).toEqual({ code: 'SELECT 1' });
		expect(parseReactAction('look at tables')).toBeNull();
	});

	test("Try Again's sql_parser reads fences and keywords", () => {
		expect(parseIntercodeSql('```sql\nSELECT name\nFROM t;\n```')).toBe('SELECT name FROM t');
		expect(parseIntercodeSql('Sure: SELECT 1; more')).toBe('SELECT 1');
		expect(parseIntercodeSql('```\nDROP TABLE x\n```')).toBeNull();
	});
});

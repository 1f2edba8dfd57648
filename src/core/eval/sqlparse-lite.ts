// Just enough of python-sqlparse (andialbrecht/sqlparse: lexer.py, keywords.py SQL_REGEX,
// engine/statement_splitter.py) for Spider's remove_distinct, which keeps only the FIRST statement
// that `sqlparse.parse` splits off and joins its tokens. The regexes keep sqlparse's order and
// shapes; Python's Unicode \w, \d and \b are spelled out because JS's are ASCII-only.

/** A lexer token: sqlparse's token type, reduced to what the splitter looks at, and its text. */
export interface SqlToken {
	kind: 'ws' | 'newline' | 'comment' | 'hint' | 'multiline' | 'punct' | 'keyword' | 'ddl' | 'other';
	value: string;
}

const w = String.raw`[\p{L}\p{N}_]`;
const d = String.raw`\p{Nd}`;
const b = `(?!${w})`;
const az = 'A-ZÀ-Ü';

type Kind = SqlToken['kind'] | 'word';
const rules: [RegExp, Kind][] = (
	[
		[String.raw`(--|# )\+[^\n]*?(\r\n|\r|\n|$)`, 'hint'],
		[String.raw`(--|# )[^\n]*?(\r\n|\r|\n|$)`, 'comment'],
		[String.raw`(\r\n|\r|\n)`, 'newline'],
		[String.raw`\s`, 'ws'],
		[':=', 'other'],
		['::', 'punct'],
		[String.raw`\*`, 'other'],
		['`(``|[^`])*`', 'other'],
		['´(´´|[^´])*´', 'other'],
		[String.raw`\?`, 'other'],
		[`%(\\(${w}+\\))?s`, 'other'],
		[`(?<!${w})[$:?]${w}+`, 'other'],
		[`\\\\${w}+`, 'other'],
		[`(CASE|IN|VALUES|USING|FROM|AS)${b}`, 'keyword'],
		[`(@|##|#)[${az}]${w}+`, 'other'],
		[`[${az}]${w}*(?=\\s*\\.(?!${d}))`, 'other'],
		[`(?<=\\.)[${az}]${w}*`, 'other'],
		[`[${az}]${w}*(?=\\()`, 'other'],
		[`-?0x[${d}A-F]+`, 'other'],
		[`-?${d}+(\\.${d}+)?E-?${d}+`, 'other'],
		[`(?![_${az}])-?(${d}+(\\.${d}*)|\\.${d}+)(?![_${az}])`, 'other'],
		[`(?![_${az}])-?${d}+(?![_${az}])`, 'other'],
		[String.raw`'(''|\\'|[^'])*'`, 'other'],
		[String.raw`"(""|\\"|[^"])*"`, 'other'],
		[String.raw`(""|"[\s\S]*?[^\\]")`, 'other'],
		[`(?<![${w.slice(1, -1)}\\])])(\\[[^\\]\\[]+\\])`, 'other'],
		[
			String.raw`((LEFT\s+|RIGHT\s+|FULL\s+)?(INNER\s+|OUTER\s+|STRAIGHT\s+)?|(CROSS\s+|NATURAL\s+)?)?JOIN${b}`,
			'keyword'
		],
		[String.raw`END(\s+IF|\s+LOOP|\s+WHILE|\s+FOR|\s+CASE)?${b}`, 'keyword'],
		[String.raw`IF\s+(NOT\s+)?EXISTS${b}`, 'keyword'],
		[String.raw`NOT\s+NULL${b}`, 'keyword'],
		[String.raw`(ASC|DESC)(\s+NULLS\s+(FIRST|LAST))?${b}`, 'keyword'],
		[String.raw`NULLS\s+(FIRST|LAST)${b}`, 'keyword'],
		[String.raw`UNION\s+ALL${b}`, 'keyword'],
		[String.raw`CREATE(\s+OR\s+REPLACE)?${b}`, 'ddl'],
		[String.raw`DOUBLE\s+PRECISION${b}`, 'other'],
		[String.raw`GROUP\s+BY${b}`, 'keyword'],
		[String.raw`ORDER\s+BY${b}`, 'keyword'],
		[String.raw`PRIMARY\s+KEY${b}`, 'keyword'],
		[String.raw`HANDLER\s+FOR${b}`, 'keyword'],
		[`GO(\\s${d}+)${b}`, 'keyword'],
		[
			String.raw`(LATERAL\s+VIEW\s+)(EXPLODE|INLINE|PARSE_URL_TUPLE|POSEXPLODE|STACK)${b}`,
			'keyword'
		],
		[String.raw`(AT|WITH')\s+TIME\s+ZONE\s+'[^']+'`, 'keyword'],
		[String.raw`(NOT\s+)?(LIKE|ILIKE|RLIKE)${b}`, 'other'],
		[String.raw`(NOT\s+)?(REGEXP)(\s+(BINARY))?${b}`, 'other'],
		[`${w}[$#${w.slice(1, -1)}]*`, 'word'],
		[String.raw`[;:()\[\],\.]`, 'punct'],
		[String.raw`(->>?|#>>?|@>|<@|\?\|?|\?&|-|#-)`, 'other'],
		['[<>=~!]+', 'other'],
		['[+/@#%^&|^-]+', 'other']
	] as [string, Kind][]
).map(([source, kind]) => [new RegExp(source, 'iuy'), kind]);

// Words the splitter reacts to, all of which sqlparse's keyword lists class as Keyword.
const splitterKeywords = new Set([
	'BEGIN',
	'END',
	'DECLARE',
	'FOR',
	'WHILE',
	'LOOP',
	'DO',
	'IF',
	'CASE',
	'TRANSACTION',
	'WORK',
	'DEFERRED',
	'IMMEDIATE',
	'EXCLUSIVE',
	'GO'
]);

/** A `/* … *\/` comment or `$tag$ … $tag$` literal opening at `pos`, as sqlparse pairs them. */
function delimitedSpan(text: string, pos: number): SqlToken | null {
	if (text.startsWith('/*', pos)) {
		const close = text.indexOf('*/', pos + 2);
		return close < 0 ? null : { kind: 'multiline', value: text.slice(pos, close + 2) };
	}
	if (
		text[pos] === '$' &&
		(pos === 0 || !new RegExp(`[${w.slice(1, -1)}"$]`, 'u').test(text[pos - 1]))
	) {
		const tag = /\$(?:[_A-ZÀ-Ü][\p{L}\p{N}_]*)?\$/iuy;
		tag.lastIndex = pos;
		const m = tag.exec(text);
		if (!m) return null;
		const close = text.indexOf(m[0], pos + m[0].length);
		return close < 0 ? null : { kind: 'other', value: text.slice(pos, close + m[0].length) };
	}
	return null;
}

/** sqlparse's lexer: the text cut into tokens that join back to it. */
export function sqlTokens(text: string): SqlToken[] {
	const out: SqlToken[] = [];
	let pos = 0;
	while (pos < text.length) {
		const span = delimitedSpan(text, pos);
		if (span) {
			out.push(span);
			pos += span.value.length;
			continue;
		}
		let token: SqlToken | null = null;
		for (const [re, kind] of rules) {
			re.lastIndex = pos;
			const m = re.exec(text);
			if (!m) continue;
			const value = m[0];
			if (kind !== 'word') token = { kind, value };
			else token = { kind: splitterKeywords.has(value.toUpperCase()) ? 'keyword' : 'other', value };
			break;
		}
		// sqlparse yields an Error token of one character; surrogate pairs stay whole, as in Python.
		token ??= { kind: 'other', value: String.fromCodePoint(text.codePointAt(pos)!) };
		out.push(token);
		pos += token.value.length;
	}
	return out;
}

/**
 * The tokens of the first statement `sqlparse.parse(text)` returns, or null when it returns none
 * (empty or blank text: Spider's remove_distinct then raises IndexError). Follows
 * StatementSplitter: a `;` outside parentheses and BEGIN blocks ends the statement, which keeps
 * the spaces and `--` comments right after it but not a newline or a `/* *\/` comment (its
 * `ttype not in (Whitespace, Comment.Single)` tests tuple membership, not token subtypes).
 */
export function firstStatementTokens(text: string): SqlToken[] | null {
	const tokens: SqlToken[] = [];
	const blocks: string[] = [];
	let level = 0;
	let seenBegin = false;
	let ended = false;
	for (const t of sqlTokens(text)) {
		if (ended && t.kind !== 'ws' && t.kind !== 'comment') break;
		const isBegin = t.kind === 'keyword' && t.value.toUpperCase() === 'BEGIN';
		level += splitLevel(t, blocks, seenBegin);
		if (isBegin) seenBegin = true;
		else if (seenBegin && t.kind === 'keyword' && isTransactionWord(t.value)) seenBegin = false;
		tokens.push(t);
		if (t.kind === 'punct' && t.value === ';') {
			seenBegin = false;
			if (level <= 0 && !blocks.includes('BEGIN')) ended = true;
		} else if (t.kind === 'keyword' && t.value.split(/\s/)[0] === 'GO') ended = true;
		else if (!['ws', 'newline', 'comment', 'multiline'].includes(t.kind) && !isBegin) {
			seenBegin = false;
		}
	}
	return tokens.some((t) => t.kind !== 'ws' && t.kind !== 'newline') ? tokens : null;
}

function isTransactionWord(value: string): boolean {
	return ['TRANSACTION', 'WORK', 'DEFERRED', 'IMMEDIATE', 'EXCLUSIVE'].includes(
		value.toUpperCase()
	);
}

/** StatementSplitter._change_splitlevel, for the blocks SQLite text can hold. */
function splitLevel(t: SqlToken, blocks: string[], seenBegin: boolean): number {
	if (t.kind === 'punct') {
		if (t.value === ';') {
			if (seenBegin && blocks.at(-1) === 'BEGIN') {
				blocks.pop();
				return -1;
			}
			return 0;
		}
		return t.value === '(' ? 1 : t.value === ')' ? -1 : 0;
	}
	if (t.kind !== 'keyword') return 0;
	const word = t.value.toUpperCase();
	if (word === 'BEGIN') {
		blocks.push('BEGIN');
		return 1;
	}
	if (seenBegin && isTransactionWord(word)) {
		if (blocks.at(-1) === 'BEGIN') {
			blocks.pop();
			return -1;
		}
		return 0;
	}
	if (blocks.includes('BEGIN') && (word === 'IF' || word === 'CASE')) {
		blocks.push(word);
		return 1;
	}
	if (word === 'END') {
		blocks.pop();
		return -1;
	}
	return 0;
}

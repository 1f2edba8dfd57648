// Benchmarks' own prediction files, read and written exactly as their official evaluators read
// them: Spider `predicted_sql.txt` (taoyds/test-suite-sql-eval evaluation.py `evaluate`), BIRD
// `predict_dev.json` (DAMO-ConvAI bird/llm/src/evaluation.py `package_sqls`), HumanEval
// `samples.jsonl` (openai/human-eval data.py `stream_jsonl`, evaluation.py
// `evaluate_functional_correctness`) and MBPP JSONL. Our own TypeScript after reading theirs.

/** Why a prediction file was refused: which record (line or key), which field, why. */
export class PredictionFileError extends Error {
	constructor(
		readonly record: string,
		readonly field: string,
		readonly why: string
	) {
		super(`${record}: ${field ? `${field}: ` : ''}${why}`);
		this.name = 'PredictionFileError';
	}
}

/** One BIRD prediction: the SQL, the database it runs on (the file's, not the gold's) and its key. */
export interface BirdPrediction {
	key: string;
	sql: string;
	db: string;
}

/** One line of a HumanEval `samples.jsonl`, with every other field it carried kept as is. */
export interface HumanEvalSample {
	task_id: string;
	completion: string;
	/** 1-based line in the file. */
	line: number;
	/** The whole record, as `*_results.jsonl` writes it back (plus `result` and `passed`). */
	record: Record<string, unknown>;
}

/** One line of an MBPP predictions JSONL. */
export interface MbppPrediction {
	/** As the file gives it (MBPP's own ids are integers). */
	task_id: number | string;
	completion: string;
	line: number;
}

// Python's str.isspace() set (CPython 3.11), which str.strip() removes; JS trim() differs
// (it strips U+FEFF and keeps U+001C–U+001F and U+0085).
const pySpace =
	'\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const pyStripRe = new RegExp(`^[${pySpace}]+|[${pySpace}]+$`, 'g');
const pyAllSpaceRe = new RegExp(`^[${pySpace}]*$`);

/** Python's `str.strip()` with no argument. */
export const pyStrip = (text: string): string => text.replace(pyStripRe, '');

/** A text file's lines as Python's text mode yields them (universal newlines: `\n`, `\r\n`, `\r`). */
function pyLines(text: string): string[] {
	const lines = text.split(/\r\n|\r|\n/);
	if (lines.at(-1) === '') lines.pop();
	return lines;
}

/**
 * Spider's `predicted_sql.txt` as evaluation.py `evaluate` reads it: each line stripped (Python's
 * whitespace), cut at its first tab, and `value` replaced by `1` everywhere (what it hands to
 * `eval_exec_match`). A blank line ends an interaction there; Spider's gold file holds one, so a
 * blank line before the last prediction fails the official run ("number of sessions must equal")
 * and is refused here, naming the line. Blank lines after the last prediction are ignored.
 */
export function readSpiderPredictions(text: string): string[] {
	const lines = pyLines(text).map(pyStrip);
	while (lines.length > 0 && lines.at(-1) === '') lines.pop();
	return lines.map((line, i) => {
		if (line === '')
			throw new PredictionFileError(
				`line ${i + 1}`,
				'',
				'blank line between predictions (evaluation.py reads it as the end of an interaction; write a failing query such as SELECT for an empty prediction)'
			);
		return line.split('\t')[0].replaceAll('value', '1');
	});
}

/** What an empty prediction is written as: one line that fails to run (scores 0) and is not blank. */
export const spiderEmptyPrediction = 'SELECT';

/**
 * Spider's `predicted_sql.txt`: one prediction per line, in the dev order. Line breaks (`\r`,
 * `\n`) and tabs inside a prediction become spaces, since the reader splits lines and cuts at the
 * first tab (inside a string literal this changes the literal: the format cannot say otherwise);
 * an empty prediction is written as {@link spiderEmptyPrediction}, since a blank line would end the
 * interaction and misalign every later line.
 */
export function writeSpiderPredictions(preds: readonly string[]): string {
	return preds
		.map((sql) => {
			const line = pyStrip(sql.replace(/[\r\n\t]/g, ' '));
			return (line === '' ? spiderEmptyPrediction : line) + '\n';
		})
		.join('');
}

/** The separator evaluation.py `package_sqls` splits each predict_dev.json value at. */
const birdSep = '\t----- bird -----\t';

/**
 * BIRD's `predict_dev.json` as evaluation.py `package_sqls(mode='gpt')` reads it: the object's
 * values in the file's key order (Python's dict order; the keys themselves are not used, the n-th
 * value is question n), each split at `\t----- bird -----\t` into SQL and database (the query runs
 * on that database); a value that is not a string becomes `" "` on `financial`. A string without
 * exactly one separator stops the official run (ValueError) and is refused, naming its key.
 */
export function readBirdPredictions(text: string): BirdPrediction[] {
	return pyJsonObjectEntries(text).map(([key, raw]) => {
		if (!raw.startsWith('"')) return { key, sql: ' ', db: 'financial' };
		const parts = (JSON.parse(raw) as string).split(birdSep);
		if (parts.length !== 2)
			throw new PredictionFileError(
				`key ${JSON.stringify(key)}`,
				'value',
				`expected "SQL\\t----- bird -----\\tdb_id" (the separator exactly once), found it ${parts.length - 1} times`
			);
		return { key, sql: parts[0], db: parts[1] };
	});
}

/**
 * BIRD's `predict_dev.json` byte for byte as gpt_request.py `generate_sql_file` writes it
 * (`json.dump(result, fp, indent=4)`: keys `"0"`, `"1"`…, non-ASCII escaped, no final newline),
 * each value `SQL\t----- bird -----\tdb_id`. A separator inside the SQL would split it in three; it
 * is written with spaces instead of its tabs (SQLite reads `-----` as a comment either way).
 */
export function writeBirdPredictions(preds: readonly string[], dbIds: readonly string[]): string {
	if (preds.length !== dbIds.length)
		throw new PredictionFileError(
			'predictions',
			'dbIds',
			`${preds.length} predictions but ${dbIds.length} database ids`
		);
	if (preds.length === 0) return '{}';
	const body = preds.map((sql, i) => {
		if (dbIds[i].includes('\t'))
			throw new PredictionFileError(`prediction ${i}`, 'db_id', 'contains a tab');
		const value = sql.replaceAll(birdSep, ' ----- bird ----- ') + birdSep + dbIds[i];
		return `    ${pyJsonString(String(i))}: ${pyJsonString(value)}`;
	});
	return `{\n${body.join(',\n')}\n}`;
}

/** A string as Python's `json.dumps` writes it (ensure_ascii: json's `[^\ -~]` as lowercase `\uXXXX`). */
export function pyJsonString(text: string): string {
	const short: Record<string, string> = {
		'"': '\\"',
		'\\': '\\\\',
		'\n': '\\n',
		'\r': '\\r',
		'\t': '\\t',
		'\b': '\\b',
		'\f': '\\f'
	};
	return `"${text.replace(/["\\]|[^ -~]/g, (c) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/**
 * HumanEval's `samples.jsonl` as human-eval reads it (`stream_jsonl`, then `sample["task_id"]`,
 * `sample["completion"]`): lines that are all whitespace skipped, each other line one JSON object,
 * in file order; `task_id` and `completion` must be strings (else the official run fails).
 */
export function readHumanEvalSamples(text: string): HumanEvalSample[] {
	return jsonlRecords(text).map(({ line, record }) => ({
		task_id: stringField(record, 'task_id', line),
		completion: stringField(record, 'completion', line),
		line,
		record
	}));
}

/**
 * MBPP predictions, one JSON object a line (blank lines skipped, file order): `task_id` an integer
 * or a string, and the program in `completion` or, failing that, `generation` (the field name
 * bigcode-evaluation-harness and LeTI-style dumps use); other fields are ignored.
 */
export function readMbppPredictions(text: string): MbppPrediction[] {
	return jsonlRecords(text).map(({ line, record }) => {
		const id = record.task_id;
		if (!(typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id))))
			throw new PredictionFileError(
				`line ${line}`,
				'task_id',
				`expected an integer or a string, got ${show(id)}`
			);
		const field = 'completion' in record ? 'completion' : 'generation';
		return { task_id: id, completion: stringField(record, field, line), line };
	});
}

/** The JSON objects of a JSONL text, skipping lines that are all whitespace (as `stream_jsonl`). */
function jsonlRecords(text: string): { line: number; record: Record<string, unknown> }[] {
	const out: { line: number; record: Record<string, unknown> }[] = [];
	pyLines(text).forEach((raw, i) => {
		if (pyAllSpaceRe.test(raw)) return;
		let value: unknown;
		try {
			value = JSON.parse(raw);
		} catch (e) {
			throw new PredictionFileError(`line ${i + 1}`, '', `not JSON (${(e as Error).message})`);
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value))
			throw new PredictionFileError(
				`line ${i + 1}`,
				'',
				`expected a JSON object, got ${show(value)}`
			);
		out.push({ line: i + 1, record: value as Record<string, unknown> });
	});
	return out;
}

/** A field that must be a string. */
function stringField(record: Record<string, unknown>, field: string, line: number): string {
	const value = record[field];
	if (typeof value !== 'string')
		throw new PredictionFileError(
			`line ${line}`,
			field,
			value === undefined ? 'missing' : `expected a string, got ${show(value)}`
		);
	return value;
}

/** A value shown briefly in an error message. */
function show(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * The entries of a top-level JSON object in the file's order, each value as its raw JSON text
 * (JSON.parse would put integer-like keys first; Python keeps the file's order). A repeated key
 * keeps its first place and its last value, as a Python dict does.
 */
function pyJsonObjectEntries(text: string): [string, string][] {
	const scan = new JsonScanner(text);
	const entries = new Map<string, string>();
	scan.space();
	scan.expect('{');
	scan.space();
	if (scan.peek() === '}') scan.pos++;
	else
		for (;;) {
			scan.space();
			const key = JSON.parse(scan.string()) as string;
			scan.space();
			scan.expect(':');
			scan.space();
			entries.set(key, scan.value());
			scan.space();
			if (scan.peek() === ',') scan.pos++;
			else {
				scan.expect('}');
				break;
			}
		}
	scan.space();
	if (scan.pos !== text.length) scan.fail('text after the JSON object');
	return [...entries];
}

// Raw control characters are left to JSON.parse, which refuses them as Python's json does.
const jsonString = /"(?:[^"\\]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const jsonScalar = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity/y;

/** A minimal scanner that finds the extent of JSON values (Python's json also takes NaN, ±Infinity). */
class JsonScanner {
	pos = 0;
	constructor(readonly text: string) {}
	peek = () => this.text[this.pos];
	fail(why: string): never {
		throw new PredictionFileError(`offset ${this.pos}`, '', `not a JSON object: ${why}`);
	}
	space() {
		while (/[ \t\n\r]/.test(this.peek() ?? '')) this.pos++;
	}
	expect(c: string) {
		if (this.peek() !== c) this.fail(`expected ${JSON.stringify(c)}`);
		this.pos++;
	}
	string(): string {
		return this.match(jsonString, 'a string');
	}
	match(re: RegExp, what: string): string {
		re.lastIndex = this.pos;
		const m = re.exec(this.text);
		if (!m) this.fail(`expected ${what}`);
		this.pos += m[0].length;
		return m[0];
	}
	value(): string {
		const start = this.pos;
		const c = this.peek();
		if (c === '"') return this.string();
		if (c === '{' || c === '[') {
			const close = c === '{' ? '}' : ']';
			this.pos++;
			this.space();
			if (this.peek() === close) return this.text.slice(start, ++this.pos);
			for (;;) {
				this.space();
				if (c === '{') {
					this.string();
					this.space();
					this.expect(':');
					this.space();
				}
				this.value();
				this.space();
				if (this.peek() === ',') this.pos++;
				else {
					this.expect(close);
					return this.text.slice(start, this.pos);
				}
			}
		}
		return this.match(jsonScalar, 'a value');
	}
}

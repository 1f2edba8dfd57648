/** The 1-based line where the `index`-th (1-based) statement of a SQL text starts, or null. */
export function statementLine(sql: string, index: number): number | null {
	let statement = 1;
	let line = 1;
	let startLine: number | null = null;
	for (let i = 0; i < sql.length; i++) {
		const ch = sql[i];
		if (ch === '\n') {
			line++;
			continue;
		}
		// Skip comments and quoted text: semicolons inside them do not end a statement.
		if (ch === '-' && sql[i + 1] === '-') {
			while (i + 1 < sql.length && sql[i + 1] !== '\n') i++;
			continue;
		}
		if (ch === '/' && sql[i + 1] === '*') {
			const end = sql.indexOf('*/', i + 2);
			const stop = end < 0 ? sql.length : end + 2;
			for (let j = i; j < stop; j++) if (sql[j] === '\n') line++;
			i = stop - 1;
			continue;
		}
		if (/\s/.test(ch)) continue;
		if (startLine === null) startLine = line;
		if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
			const close = ch === '[' ? ']' : ch;
			let j = i + 1;
			while (j < sql.length && sql[j] !== close) {
				if (sql[j] === '\n') line++;
				j++;
			}
			i = j;
			continue;
		}
		if (ch === ';') {
			if (statement === index) return startLine;
			statement++;
			startLine = null;
		}
	}
	return statement === index ? startLine : null;
}

// What kind of statement a SQL text starts with, for the engine's read-only mode and change
// tracking: each pattern looks at the first word, after any leading whitespace and comments.

const statementStart = String.raw`^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*`;
const leading = (pattern: string) => new RegExp(statementStart + pattern, 'i');
/**
 * A statement that cannot change the database (no function we register writes): most of what a
 * scorer runs. WITH is left out, since `WITH … INSERT` writes.
 */
export const readsOnly = leading(String.raw`(?:SELECT|VALUES)\b`);
/** Text that is only whitespace and comments (what is left after a call's last statement). */
export const onlyComments = new RegExp(statementStart + '$');
/**
 * A statement that may change the schema or the file without counting in total_changes(). (Reading
 * the schema cookie instead would cost a read transaction, ~40 µs, on every call.)
 */
export const schemaChanging = leading(
	String.raw`(?:CREATE|DROP|ALTER|ANALYZE|REINDEX|VACUUM|PRAGMA\b[^;]*=)`
);
// Statements that would end or escape the read-only transaction.
const transactionControl = leading(
	String.raw`(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|ATTACH|DETACH|VACUUM)\b`
);
// A PRAGMA given a value (`= v` or `(v)`) may change a connection setting, which a rollback does
// not undo (foreign_keys, case_sensitive_like …); the ones whose argument only names what to list
// or check are queries.
const pragmaWithValue = leading(
	String.raw`PRAGMA\s+(?:["\`\[]?\w+["\`\]]?\s*\.\s*)?["\`\[]?(\w+)["\`\]]?\s*[=(]`
);
const pragmaQueries = new Set([
	'table_info',
	'table_xinfo',
	'table_list',
	'index_info',
	'index_xinfo',
	'index_list',
	'foreign_key_list',
	'foreign_key_check',
	'integrity_check',
	'quick_check'
]);

/** Why a statement may not run in read-only mode, or null when it may. */
export function readOnlyRefusal(text: string): string | null {
	const control = transactionControl.exec(text)?.[1];
	if (control) return `${control.toUpperCase()} is not allowed in read-only mode`;
	const pragma = pragmaWithValue.exec(text)?.[1].toLowerCase();
	if (pragma && !pragmaQueries.has(pragma)) {
		return `PRAGMA ${pragma} with a value is not allowed in read-only mode (a rollback does not undo settings)`;
	}
	return null;
}

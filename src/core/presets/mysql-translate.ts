// InterCode-SQL speaks MySQL (intercode/envs/sql/sql_env.py); the playground runs SQLite. These are
// the MySQL-only commands its prompts and demos teach, rewritten to SQLite with MySQL's result
// shapes.

const ident = String.raw`(?:\x60([^\x60]+)\x60|"([^"]+)"|([^\s;\x60"]+))`;
const showTables = /^\s*SHOW\s+(?:FULL\s+)?TABLES\s*;?\s*$/i;
const describe = new RegExp(String.raw`^\s*(?:DESC|DESCRIBE|EXPLAIN)\s+${ident}\s*;?\s*$`, 'i');
const showColumns = new RegExp(
	String.raw`^\s*SHOW\s+(?:FULL\s+)?(?:COLUMNS|FIELDS)\s+(?:FROM|IN)\s+${ident}\s*;?\s*$`,
	'i'
);
const useDb = /^\s*USE\s+\S+\s*;?\s*$/i;

/** The SQLite statement to run for a MySQL command, or null when it has no effect here (`use db`). */
export interface Translation {
	sql: string | null;
	/** Whether the command was rewritten. */
	translated: boolean;
}

const quoteLiteral = (name: string) => `'${name.replace(/'/g, "''")}'`;

/** Rewrites `SHOW TABLES`, `DESC t`, `DESCRIBE t`, `SHOW COLUMNS FROM t` and `use db` for SQLite. */
export function translateMysql(sql: string): Translation {
	if (showTables.test(sql)) {
		return {
			sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
			translated: true
		};
	}
	const m = describe.exec(sql) ?? showColumns.exec(sql);
	if (m) {
		const table = quoteLiteral(m[1] ?? m[2] ?? m[3]);
		// MySQL's DESC columns: Field, Type, Null, Key, Default, Extra.
		return {
			sql:
				`SELECT name AS Field, lower(type) AS Type, CASE WHEN "notnull" OR pk THEN 'NO' ELSE 'YES' END AS "Null", ` +
				`CASE WHEN pk THEN 'PRI' ELSE '' END AS "Key", dflt_value AS "Default", '' AS Extra ` +
				`FROM pragma_table_info(${table}) ORDER BY cid`,
			translated: true
		};
	}
	if (useDb.test(sql)) return { sql: null, translated: true };
	return { sql, translated: false };
}

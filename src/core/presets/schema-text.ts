import type { SqlSchema } from '../../../workers/protocol.ts';
import { pyStrRepr } from './python-repr.ts';

const quoteIdent = (name: string) =>
	/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;

/** The schema as CREATE TABLE statements, the `db_details` layout of SkyRL-SQL/OmniSQL prompts. */
export function schemaToDdl(schema: SqlSchema): string {
	return schema.tables
		.filter((t) => t.kind === 'table')
		.map((t) => {
			const pks = t.columns.filter((c) => c.primaryKey);
			const lines = t.columns.map(
				(c) =>
					`  ${quoteIdent(c.name)} ${c.type || 'TEXT'}` +
					(c.notNull ? ' NOT NULL' : '') +
					(pks.length === 1 && c.primaryKey ? ' PRIMARY KEY' : '')
			);
			if (pks.length > 1)
				lines.push(`  PRIMARY KEY (${pks.map((c) => quoteIdent(c.name)).join(', ')})`);
			for (const fk of t.foreignKeys) {
				lines.push(
					`  FOREIGN KEY (${quoteIdent(fk.from)}) REFERENCES ${quoteIdent(fk.table)}(${quoteIdent(fk.to)})`
				);
			}
			return `CREATE TABLE ${quoteIdent(t.name)} (\n${lines.join(',\n')}\n);`;
		})
		.join('\n\n');
}

/** InterCode's optional SQL "handicap": `MySQL tables, with their properties\n- {table}: [cols]` */
export function schemaHandicap(schema: SqlSchema): string {
	let text = 'MySQL tables, with their properties\n';
	for (const t of schema.tables) {
		text += `- ${t.name}: [${t.columns.map((c) => pyStrRepr(c.name)).join(', ')}]\n`;
	}
	return text;
}

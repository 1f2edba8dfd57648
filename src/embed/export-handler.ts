import { z } from 'zod';
import { exportFormats } from '../core/export/formats.ts';
import { envelopeShape } from './contract.ts';
import type { EmbedRegistry, ResultBody } from './registry.ts';
import { tracesField } from './trace-field.ts';

/** `export`: a trace (or, for the JSONL formats, an array of traces) as the text of a format. */
export const exportSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('export'),
	trace: tracesField,
	format: z.enum(exportFormats)
});

/** A validated `export` request. */
export type ExportRequest = z.infer<typeof exportSchema>;

/**
 * Registers `export`: answers `{ok: true, text}` with the export (src/core/export/), or `ok: false`
 * with why the trace cannot be written in that format (e.g. SkyRL-SQL rows for a Python task).
 */
export function registerExportHandler(registry: EmbedRegistry): void {
	registry.register('export', {
		schema: exportSchema,
		async handle(request: ExportRequest): Promise<ResultBody> {
			const { exportTraces } = await import('../core/export/index.ts');
			try {
				return { ok: true, text: exportTraces(request.trace, request.format) };
			} catch (e) {
				const message = e instanceof Error ? e.message : String(e);
				return {
					ok: false,
					error: { type: 'ExportError', message: `format "${request.format}": ${message}` }
				};
			}
		}
	});
}

// The embed `history` request (issue 11): `{execlab: 1, type: 'history', id}` answers
// `{type: 'result', id, ok, traces: [{id, title, preset, model, startedAt, outcome}]}` with only
// the traces this requesting origin's own `agent-run`s created.
import { z } from 'zod';
import type { HistoryEntry } from '../core/history/entry.ts';
import { historyForOrigin } from '../core/history/query.ts';
import { envelopeShape } from './contract.ts';
import type { EmbedRegistry } from './registry.ts';

/** `history`: the envelope and nothing else. */
export const historySchema = z.strictObject({
	...envelopeShape,
	type: z.literal('history')
});

/** Registers `history`, answered from `list` (the page's trace store) filtered to the requester. */
export function registerHistoryHandler(
	registry: EmbedRegistry,
	list: () => Promise<HistoryEntry[]>
): void {
	registry.register('history', {
		schema: historySchema,
		async handle(_request, context) {
			return { ok: true, traces: historyForOrigin(await list(), context.origin) };
		}
	});
}

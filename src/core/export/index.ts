import type { TraceV2 } from '../trace/trace-v2.ts';
import type { ExportFormat } from './formats.ts';
import { toChatJsonl } from './chat.ts';
import { toExeclabJson, toExeclabJsonl } from './execlab.ts';
import { intercodeLogText } from './intercode.ts';
import { toLetiJsonl } from './leti.ts';
import { toSkyrlSqlRow } from './skyrl.ts';

export { exportFormats, type ExportFormat } from './formats.ts';

/**
 * Traces as the text of one export format: ExecLab JSON (exactly one trace) or JSONL, LeTI or Chat
 * JSONL, SkyRL-SQL rows as JSONL, InterCode's evaluation log (eval_react.py / eval_n_turn.py, by preset).
 */
export function exportTraces(traces: readonly TraceV2[], format: ExportFormat): string {
	switch (format) {
		case 'json':
			if (traces.length !== 1) throw new RangeError('ExecLab JSON holds one trace; use jsonl');
			return toExeclabJson(traces[0]);
		case 'jsonl':
			return toExeclabJsonl(traces);
		case 'leti':
			return toLetiJsonl(traces);
		case 'chat':
			return toChatJsonl(traces);
		case 'skyrl':
			return traces.map((t) => JSON.stringify(toSkyrlSqlRow(t)) + '\n').join('');
		case 'intercode':
			return intercodeLogText(traces);
	}
}

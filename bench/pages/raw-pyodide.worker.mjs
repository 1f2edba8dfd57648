// The plainest possible Pyodide start: Pyodide's files as npm ships them (served by the bench server
// under /bench/pyodide/), no snapshot, no options.
import { loadPyodide } from './pyodide/pyodide.mjs';

const indexURL = new URL('./pyodide/', import.meta.url).href;
try {
	const pyodide = await loadPyodide({ indexURL });
	postMessage({ value: String(pyodide.runPython('1+1')), version: pyodide.version });
} catch (err) {
	postMessage({ error: String(err) });
}

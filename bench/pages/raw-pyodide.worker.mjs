// The plainest possible Pyodide start: the same files the app serves, no snapshot, no options.
import { loadPyodide } from '../vendor/pyodide/pyodide.mjs';

const indexURL = new URL('../vendor/pyodide/', import.meta.url).href;
try {
	const pyodide = await loadPyodide({ indexURL });
	postMessage({ value: String(pyodide.runPython('1+1')), version: pyodide.version });
} catch (err) {
	postMessage({ error: String(err) });
}

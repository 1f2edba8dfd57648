/** The policy of the Python and SQL workers: only this origin's files, WebAssembly, nothing else. */
export declare const workerPolicy: string;
/** Whether a URL path is the entry script of a confined worker (Python or SQL). */
export declare function isConfinedWorkerScript(pathname: string): boolean;
/** The app page's policy; `frameAncestors` only in a header, `scriptHashes` for a server's inline script. */
export declare function pagePolicy(options?: {
	frameAncestors?: readonly string[];
	scriptHashes?: readonly string[];
}): string;
/** The CSP header for a response: worker policy on confined worker scripts, page policy on HTML. */
export declare function policyHeaders(
	pathname: string,
	options: { html: boolean; frameAncestors?: readonly string[] }
): Record<string, string>;

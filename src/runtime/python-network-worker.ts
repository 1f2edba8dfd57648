// Sessions with allowNetwork run in a worker of their own: the default Python worker is started
// under a CSP that lets it reach only the app's origin (README: "Network confinement").

/** Starts the Python worker that carries no worker CSP, for sessions allowed the network. */
export function createNetworkWorker(): Worker {
	return new Worker(new URL('../../workers/python-network.worker.ts', import.meta.url), {
		type: 'module',
		name: 'execlab-python-network'
	});
}

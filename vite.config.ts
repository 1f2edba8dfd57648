import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { copyVendorAssets } from './scripts/vendor-assets.ts';

// Cross-origin isolation (SharedArrayBuffer, Pyodide interrupts) needs these on every response;
// CORP lets a host page on another origin embed us while it is itself isolated.
export const isolationHeaders = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'cross-origin'
};

function vendorAssets(): Plugin {
	return {
		name: 'execlab-vendor-assets',
		buildStart() {
			copyVendorAssets();
		}
	};
}

export default defineConfig({
	base: './',
	plugins: [vendorAssets(), svelte()],
	server: { port: 5173, strictPort: true, headers: isolationHeaders },
	preview: { port: 5173, strictPort: true, headers: isolationHeaders },
	worker: { format: 'es' },
	optimizeDeps: { exclude: ['pyodide'] },
	build: { target: 'es2022', chunkSizeWarningLimit: 2000 }
});

import { mount } from 'svelte';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('ExecLab: #app element missing from index.html');

/** The mounted application. */
export default mount(App, { target });

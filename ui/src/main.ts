import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { markStartup } from './lib/firstPaint';

// Every module above has run: the bundle is evaluated (bench/startup.sh).
markStartup('bundle');

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const app = mount(App, { target });
markStartup('mounted');
export default app;

import { mount } from 'svelte';
import App from './App.svelte';
import { connectToStation } from './api/connect';
import { applyLocaleToDocument } from './i18n/i18n.svelte';
import { Station } from './lib/station.svelte';
import { applyThemeToDocument } from './lib/theme.svelte';
import './styles/global.css';

applyLocaleToDocument();
applyThemeToDocument();

const { client } = connectToStation();
const station = new Station(client);
station.start();

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target, props: { station } });

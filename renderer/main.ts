import { mount } from 'svelte';
import App from './App.svelte';
import { connectToStation } from './api/connect';
import { applyLocaleToDocument } from './i18n/i18n.svelte';
import { Session } from './lib/session.svelte';
import { Station } from './lib/station.svelte';
import { applyThemeToDocument } from './lib/theme.svelte';
import './styles/global.css';

applyLocaleToDocument();
applyThemeToDocument();

const { client, auth } = connectToStation();
const station = new Station(client);
const session = new Session(auth);
// An expired session shows as refused requests: back to the login screen.
client.onUnauthenticated(() => void session.flow.lost());
// App starts the station's data once someone is logged in.
void session.flow.check();

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target, props: { station, session } });

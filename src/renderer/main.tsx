// Renderer entry: subscribe to the station's events, fetch the first snapshot, render the till. A page
// without a transport (the Electron preload did not run) renders the reason instead of the till.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { TransportUnavailable } from './app/TransportUnavailable.tsx';
import { startStation } from './state/api.ts';
import { TransportUnavailableError } from './transport/unavailable.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
let screen = <App />;
try {
  startStation();
} catch (e) {
  if (!(e instanceof TransportUnavailableError)) throw e;
  // The console reaches the station's log file in Electron (src/main/electron/main.ts).
  console.error(`${e.title}: ${e.message}`);
  screen = <TransportUnavailable error={e} />;
}
createRoot(root).render(<StrictMode>{screen}</StrictMode>);

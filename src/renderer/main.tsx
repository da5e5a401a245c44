// Renderer entry: subscribe to the station's events, fetch the first snapshot, render the till.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { startStation } from './state/api.ts';
import './styles.css';

startStation();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

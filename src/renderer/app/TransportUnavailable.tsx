// Shown instead of the till when the page has no way to the station (src/renderer/transport/
// unavailable.ts): a cashier must see why nothing works and what to do, not an empty or frozen screen.
import type { TransportUnavailableError } from '../transport/unavailable.ts';

export function TransportUnavailable({ error }: { error: TransportUnavailableError }) {
  return (
    <div className="app">
      <main id="main" className="app-main">
        <div role="alert" className="alert alert-critical" data-testid="transport-unavailable">
          <h1>{error.title}</h1>
          <p>{error.message}</p>
          <p>{error.advice}</p>
        </div>
      </main>
    </div>
  );
}

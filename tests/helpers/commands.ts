// The till's command handlers (what IPC and the browser host call) over a test station, built as the
// hosts build them, minus the host and the snapshot pushes.
import { commandHandlers } from '../../src/main/app/commands.ts';
import { ManagerPin } from '../../src/main/app/manager-pin.ts';
import { silentLogger } from '../../src/main/core/logger.ts';
import type { Station } from '../../src/main/core/station.ts';

export function tillCommands(station: Station): ReturnType<typeof commandHandlers> {
  return commandHandlers({
    station,
    managerPin: new ManagerPin(station.cashiers),
    log: silentLogger,
    host: null,
    snapshotChanged: () => {},
  });
}

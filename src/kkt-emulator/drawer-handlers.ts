// 28h «Открыть денежный ящик»: the emulated KKT pulses its drawer port. It is counted in the durable
// state (`drawerOpenings`, by drawer number) so tests, the CLI and a look at the state file can tell how
// often the station opened it. Not a document: no FD, no through number, any mode (as the spec says).
import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import { DRAWER_NUMBERS } from '../shtrih-protocol/print-commands.ts';
import type { EmulatedDevice } from './device.ts';

export function openDrawer(d: EmulatedDevice, op: number, args: Buffer): Buffer | number {
  if (args.length !== 1) return E.BAD_LENGTH;
  const drawer = args[0]!;
  if (!(DRAWER_NUMBERS as readonly number[]).includes(drawer)) return E.BAD_PARAMS;
  const counts = (d.st.drawerOpenings ??= [0, 0]); // absent in state files written before it existed
  counts[drawer] = (counts[drawer] ?? 0) + 1;
  d.store.commit();
  d.tape.push(`-- денежный ящик ${drawer} открыт --`);
  return Buffer.from([op]);
}

// Fault injection, for tests and demos of the station's recovery paths: the failures of a real line
// and a real device (lost ACK, damaged or late answers, a reboot that forgets the answer, line noise,
// silence, error codes). The device link (device-link.ts) and the command machine ask take() whether a
// fault applies to the command at hand; each armed fault is used up by the commands it hits.

/** Which commands a fault applies to: the next `count` (default 1), optionally only those with code `command` (FF-commands as 0xFFxx). */
export interface FaultTarget {
  count?: number;
  command?: number;
}

/** The control surface tests and demos use (`emulator.faults`). */
export interface EmulatorFaults {
  /** Execute the command but do not send its ACK byte (the answer still follows). */
  dropAck(target?: FaultTarget): void;
  /** Send the answer with a wrong LRC on its first transmission; the host's NAK + ENQ gets a good copy. */
  corruptAnswer(target?: FaultTarget): void;
  /** Hold the answer for `ms` (e.g. past the host's response timeout); ENQ meanwhile gets ACK. */
  delayAnswer(ms: number, target?: FaultTarget): void;
  /** Execute the command, ACK it, then forget the answer (as if the device rebooted): ENQ gets NAK. */
  loseAnswer(target?: FaultTarget): void;
  /** Answer with error `code` without executing the command. */
  failNext(code: number, target?: FaultTarget): void;
  /** The command frame is lost on the line: the device neither ACKs nor executes it (ENQ then gets NAK). */
  dropFrame(target?: FaultTarget): void;
  /**
   * Before executing the command, add an item line of `sumKop` to the open receipt: the FN then holds
   * more than the host sent, in a way no check before FF45h can see (the change FF45h reports can).
   */
  phantomLine(sumKop: number, target?: FaultTarget): void;
  /** Ignore every byte (no ACK, no NAK, no answers) until switched off. */
  setSilent(silent: boolean): void;
  /** Send these bytes before the next thing the device transmits (the default avoids control bytes). */
  injectGarbage(bytes?: readonly number[]): void;
  /** Remove every pending fault and leave silence. */
  clear(): void;
}

export type FaultKind = 'dropAck' | 'corrupt' | 'delay' | 'lose' | 'fail' | 'dropFrame' | 'phantomLine';

interface ArmedFault {
  kind: FaultKind;
  remaining: number;
  command?: number;
  /** delay: milliseconds; fail: error code; phantomLine: kopecks. */
  value: number;
}

export class FaultInjector {
  readonly controls: EmulatorFaults;
  private armed: ArmedFault[] = [];
  private silentNow = false;
  private garbage: number[] | null = null;

  constructor(private readonly log: (line: string) => void) {
    const arm = (kind: FaultKind, value: number, t: FaultTarget = {}) =>
      void this.armed.push({ kind, value, remaining: t.count ?? 1, command: t.command });
    this.controls = {
      dropAck: (t) => arm('dropAck', 0, t),
      corruptAnswer: (t) => arm('corrupt', 0, t),
      delayAnswer: (ms, t) => arm('delay', ms, t),
      loseAnswer: (t) => arm('lose', 0, t),
      failNext: (code, t) => arm('fail', code, t),
      dropFrame: (t) => arm('dropFrame', 0, t),
      phantomLine: (sumKop, t) => arm('phantomLine', sumKop, t),
      setSilent: (silent) => void (this.silentNow = silent),
      injectGarbage: (bytes = [0xff, 0x00, 0x37, 0xaa, 0x81, 0xfe]) => void (this.garbage = [...bytes]),
      clear: () => {
        this.armed = [];
        this.silentNow = false;
        this.garbage = null;
      },
    };
  }

  get silent(): boolean {
    return this.silentNow;
  }

  /** Consumes one armed fault of this kind that applies to `code`; null when none. */
  take(kind: FaultKind, code: number): ArmedFault | null {
    const i = this.armed.findIndex((f) => f.kind === kind && (f.command === undefined || f.command === code));
    if (i < 0) return null;
    const f = this.armed[i]!;
    if (--f.remaining <= 0) this.armed.splice(i, 1);
    this.log(`fault ${kind} on ${code.toString(16)}`);
    return f;
  }

  /** The garbage to send before the next transmission, once. */
  takeGarbage(): number[] | null {
    const g = this.garbage;
    this.garbage = null;
    return g;
  }
}

// The station's state in one line, derived once from a snapshot: the header's chip and the status
// panel both show this, so they cannot contradict each other. The tone is the worst of the network
// (breaker and last OFD contact) and the dead letters: a receipt the OFD refused for good needs a
// person even while the OFD answers, so it is never shown as a plain «Онлайн».
import type { NetworkStatus, StationSnapshot } from '../../shared/contract.ts';
import { formatDuration, minutesSince, type Lang } from '../format.ts';
import type { Messages } from '../i18n/index.ts';

export type StatusTone = NetworkStatus;

export function statusTone(s: StationSnapshot): StatusTone {
  if (s.network === 'offline') return 'offline';
  if (s.network === 'degraded' || s.buffer.dlqSize > 0) return 'degraded';
  return 'online';
}

export function statusLine(t: Messages, lang: Lang, s: StationSnapshot, now: number): string {
  const head =
    s.network === 'online' ? t.chipOnline : s.network === 'degraded' ? t.chipDegraded : t.chipOffline;
  const parts: string[] = [];
  const queued = s.buffer.queued;
  if (queued > 0) {
    const age = minutesSince(s.buffer.oldestPendingAt, now);
    parts.push(
      `${t.chipWaiting(queued)}${age === null ? '' : `, ${t.chipOldest(formatDuration(age, lang))}`}`,
    );
  } else if (s.network !== 'online') {
    parts.push(t.chipNoneWaiting);
  }
  if (s.buffer.dlqSize > 0) parts.push(t.chipDeadLetters(s.buffer.dlqSize));
  return parts.length ? `${head} — ${parts.join('; ')}` : head;
}

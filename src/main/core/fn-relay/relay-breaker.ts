// The FN relay's own circuit breaker in front of the OFD's TCP server, with the sync worker's rule
// (src/main/core/util/counting-breaker.ts): open after N failed exchanges in a row, one trial after the
// reset time. Only the network exchange goes through it: an FN that refuses an answer or a KKT that does
// not answer says nothing about the OFD.
import { CountingBreaker } from '../util/counting-breaker.ts';

export class RelayBreaker extends CountingBreaker<[() => Promise<Buffer>], Buffer> {
  protected run(call: () => Promise<Buffer>): Promise<Buffer> {
    return call();
  }

  /** The exchange's answer; 'rejected' when the breaker is open; the exchange's error otherwise. */
  override fire(call: () => Promise<Buffer>): Promise<Buffer | 'rejected'> {
    return super.fire(call);
  }
}

// The marking requisites of one line as the OFD payload carries them (docs/ofd-mock.md, «The OFD
// contract»): the code (2000), its planned status (2003), processing mode (2102), the FFD 1.05 product
// code (1162), and the permit check — as the industry requisite 1260 {1262 ФОИВ "030", 1263 "21.11.2023",
// 1264 "1944", 1265 "UUID=…&Time=…"} when the check passed, or `not_done` with the reason.
import { parseMarkCode, productCode1162Hex } from '../../../../shared/marking-code.ts';
import type { KktReceiptLine } from '../../kkt/kkt.ts';
import type { OfdItemMark } from '../../ofd/ofd-client.ts';

export function ofdMark(line: KktReceiptLine, type: 'sale' | 'refund'): OfdItemMark | undefined {
  const m = line.mark;
  if (!m) return undefined;
  const sale = type === 'sale';
  const permit = m.permit;
  return {
    code: m.code,
    gtin: m.gtin,
    serial: m.serial,
    planned_status: m.measured ? (sale ? 2 : 4) : sale ? 1 : 3,
    processing_mode: 0,
    product_code_1162: productCode1162Hex(parseMarkCode(m.code)),
    permit:
      permit?.status === 'passed'
        ? { status: 'passed', req_id: permit.reqId, req_timestamp: permit.reqTimestamp }
        : { status: 'not_done', reason: permit?.reason ?? (sale ? 'not recorded' : 'refund: not required') },
    ...(permit?.status === 'passed'
      ? {
          industry_requisite: {
            foiv_id: '030',
            doc_date: '21.11.2023',
            doc_number: '1944',
            value: `UUID=${permit.reqId}&Time=${permit.reqTimestamp}`,
          },
        }
      : {}),
  };
}

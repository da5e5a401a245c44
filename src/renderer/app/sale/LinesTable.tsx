// The receipt's lines as typed: quantity, price, VAT, the line's amount, and edit / remove per line.
// The line being edited is marked; the amounts use the same rounding the station applies. The table
// scrolls in its own area (the sale screen has a fixed height) and brings a newly added line into view.
import { useEffect, useRef } from 'react';
import { formatLineQuantity } from '../../format.ts';
import { lineTotalKop } from '../../../shared/money.ts';
import { useLang, useT } from '../../state/language.ts';
import type { SaleLine } from '../../state/sale.ts';
import { Money } from '../ui.tsx';

export function LinesTable({
  lines,
  editingId,
  onEdit,
  onRemove,
}: {
  lines: SaleLine[];
  editingId: number | null;
  onEdit: (id: number) => void;
  onRemove: (id: number) => void;
}) {
  const t = useT();
  const lang = useLang();
  const lastRow = useRef<HTMLTableRowElement>(null);
  const count = useRef(lines.length);
  // Only when a line was added: editing or removing one leaves the cashier's scroll position alone.
  useEffect(() => {
    if (lines.length > count.current) lastRow.current?.scrollIntoView({ block: 'nearest' });
    count.current = lines.length;
  }, [lines.length]);
  if (lines.length === 0) return <p className="empty">{t.linesEmpty}</p>;
  return (
    <div className="lines-scroll" data-testid="lines-scroll">
      <table className="table lines-table" aria-labelledby="lines-title">
        <thead>
          <tr>
            <th scope="col">№</th>
            <th scope="col">{t.itemName}</th>
            <th scope="col" className="num">
              {t.quantity}
            </th>
            <th scope="col" className="num">
              {t.price}
            </th>
            <th scope="col">{t.vat}</th>
            <th scope="col" className="num">
              {t.lineAmount}
            </th>
            <th scope="col">
              <span className="visually-hidden">{t.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr
              key={l.id}
              ref={i === lines.length - 1 ? lastRow : undefined}
              className={editingId === l.id ? 'row-editing' : undefined}
            >
              <td className="num">{i + 1}</td>
              <td>{l.name}</td>
              <td className="num">{formatLineQuantity(l.quantityMilli, l.unit, lang)}</td>
              <td className="num">
                <Money kop={l.priceKop} />
              </td>
              <td>{t.vatOptions[l.vat]}</td>
              <td className="num">
                <Money kop={lineTotalKop(l.priceKop, l.quantityMilli)} />
              </td>
              <td className="actions-cell">
                <div className="row-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t.editLine(l.name)}
                    onClick={() => onEdit(l.id)}
                  >
                    ✎
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    aria-label={t.removeLine(l.name)}
                    onClick={() => onRemove(l.id)}
                  >
                    ✕
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// The receipt's lines as typed: quantity, price, VAT, the line's amount, and discount / edit / remove per
// line. The line being edited is marked; the amounts use the same rounding the station applies; a
// discounted line shows its price before struck through, the price after and its sum after. The table
// scrolls in its own area (the sale screen has a fixed height) and brings a newly added line into view.
import { useEffect, useRef } from 'react';
import { formatLineQuantity } from '../../format.ts';
import { lineTotalKop } from '../../../shared/money.ts';
import { useLang, useT } from '../../state/language.ts';
import type { SaleLine } from '../../state/sale.ts';
import { Money, RowAction } from '../ui.tsx';
import type { PricedReceipt } from '../../../shared/discounts.ts';

export function LinesTable({
  lines,
  editingId,
  onEdit,
  onRemove,
  priced,
  onDiscount,
}: {
  lines: SaleLine[];
  editingId: number | null;
  onEdit: (id: number) => void;
  onRemove: (id: number) => void;
  /** The lines after their discounts (sale-discounts.ts); a discounted line shows the old price struck. */
  priced?: PricedReceipt;
  onDiscount?: (id: number) => void;
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
            {/* «Кол-во»: the full word would take the width the name needs at 1024 px. */}
            <th scope="col" className="num">
              <abbr title={t.quantity}>{t.quantityShort}</abbr>
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
                <LinePrice line={l} after={discountedAfter(priced, i)} />
              </td>
              <td>{t.vatOptions[l.vat]}</td>
              <td className="num">
                <Money kop={discountedAfter(priced, i) ?? lineTotalKop(l.priceKop, l.quantityMilli)} />
              </td>
              <td className="actions-cell">
                <div className="row-actions">
                  {onDiscount ? (
                    <RowAction label={t.discountLine(l.name)} icon="%" onClick={() => onDiscount(l.id)} />
                  ) : null}
                  <RowAction label={t.editLine(l.name)} icon="✎" onClick={() => onEdit(l.id)} />
                  <RowAction label={t.removeLine(l.name)} icon="✕" danger onClick={() => onRemove(l.id)} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The line's sum after its discounts, or undefined when no discount touches it. */
function discountedAfter(priced: PricedReceipt | undefined, i: number): number | undefined {
  const l = priced && priced.problems.length === 0 ? priced.lines[i] : undefined;
  return l && l.afterKop !== l.beforeKop ? l.afterKop : undefined;
}

/** The price; a discounted line shows the price before struck through and the price after per unit. */
function LinePrice({ line, after }: { line: SaleLine; after: number | undefined }) {
  const t = useT();
  if (after === undefined) return <Money kop={line.priceKop} />;
  return (
    <>
      <s className="price-before">
        <span className="visually-hidden">{t.priceBefore}: </span>
        <Money kop={line.priceKop} />
      </s>{' '}
      <Money kop={Math.round((after * 1000) / line.quantityMilli)} className="price-after" />
    </>
  );
}

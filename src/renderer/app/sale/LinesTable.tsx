// The receipt's lines as typed: quantity, price, VAT, the line's amount, and edit / remove per line.
// The line being edited is marked; the amounts use the same rounding the station applies.
import { formatQuantity } from '../../format.ts';
import { lineTotalKop } from '../../../shared/money.ts';
import { useLang, useT } from '../../state/language.ts';
import type { SaleLine } from '../../state/sale.ts';
import { Money } from '../ui.tsx';
import { unitShort } from '../../../shared/units.ts';

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
  if (lines.length === 0) return <p className="empty">{t.linesEmpty}</p>;
  return (
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
          <tr key={l.id} className={editingId === l.id ? 'row-editing' : undefined}>
            <td className="num">{i + 1}</td>
            <td>{l.name}</td>
            <td className="num">
              {formatQuantity(l.quantityMilli, lang)}
              {l.unit !== undefined ? ` ${unitShort(l.unit)}` : ''}
            </td>
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
                  title={t.editLine(l.name)}
                  onClick={() => onEdit(l.id)}
                >
                  ✎
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  aria-label={t.removeLine(l.name)}
                  title={t.removeLine(l.name)}
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
  );
}

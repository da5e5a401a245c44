// The one table of the manager's lists (never-printed receipts, dead letters, the catalogue): named
// columns, a row per item, the row's icon buttons last under a header only screen readers hear, and
// the panel's words when the list is empty. A panel says only what its columns show and what its
// buttons do; each cell is a render function, so a panel changes how one column reads in one place.
import type { ReactNode } from 'react';
import { useT } from '../../state/language.ts';

export interface ManagerColumn<T> {
  /** The header: the column's name for the eye and for screen readers. */
  title: string;
  /** Right-aligned (amounts, counts). */
  numeric?: boolean;
  cell: (item: T) => ReactNode;
}

/** The table's accessible name: the panel heading's id, or words of its own. */
export type TableName = { labelledBy: string } | { label: string };

export function ManagerList<T>({
  items,
  columns,
  rowKey,
  rowClassName,
  actions,
  empty,
  name,
  className,
}: {
  /** null while the first fetch runs: nothing is shown, not even `empty`. */
  items: readonly T[] | null;
  columns: readonly ManagerColumn<T>[];
  rowKey: (item: T) => string;
  rowClassName?: (item: T) => string | undefined;
  /** The row's buttons (RowAction). */
  actions: (item: T) => ReactNode;
  /** Said when the list is empty; without it an empty list shows nothing. */
  empty?: string;
  name: TableName;
  className?: string;
}) {
  const t = useT();
  if (!items) return null;
  if (items.length === 0) return empty ? <p className="empty">{empty}</p> : null;
  return (
    <table
      className={`table${className ? ` ${className}` : ''}`}
      aria-labelledby={'labelledBy' in name ? name.labelledBy : undefined}
      aria-label={'label' in name ? name.label : undefined}
    >
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.title} scope="col" className={c.numeric ? 'num' : undefined}>
              {c.title}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">{t.actions}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={rowKey(item)} className={rowClassName?.(item)}>
            {columns.map((c) => (
              <td key={c.title} className={c.numeric ? 'num' : undefined}>
                {c.cell(item)}
              </td>
            ))}
            <td className="actions-cell">
              <div className="row-actions">{actions(item)}</div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A receipt's short label (FD number or id head) over its whole id, which the manager may quote. */
export function ReceiptCell({ label, id }: { label: string; id: string }) {
  return (
    <>
      {label}
      <div className="hint mono">{id}</div>
    </>
  );
}

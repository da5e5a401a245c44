// A catalogue problem in Russian words for the manager (the UI, `npm run catalog`): the machine-readable
// place (`row 12, price` from a CSV file, `items[3].price` from the ERP) becomes «Строка 12, столбец
// «price»»; a JSON path stays as it is.
import type { FieldIssue } from './errors.ts';

export function catalogIssuePlaceRu(field: string): string {
  const m = /^row (\d+)(?:, (.+))?$/.exec(field);
  if (!m) return field;
  return m[2] ? `Строка ${m[1]}, столбец «${m[2]}»` : `Строка ${m[1]}`;
}

export function catalogIssueRu(issue: FieldIssue): string {
  return `${catalogIssuePlaceRu(issue.field)}: ${issue.message}`;
}

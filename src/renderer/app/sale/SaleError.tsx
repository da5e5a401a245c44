// A failed print explained, with the action that fixes it: the field issues of a validation error,
// "go to the shift" for a shift error, "continue printing" when the KKT is out of paper. Shown in the
// payment dialog and, once the dialog is closed, on the sale screen.
import { kktReasonOf, type CommandError, type ErrorCode } from '../../../shared/errors.ts';
import { useT } from '../../state/language.ts';
import { fieldIssues, SHIFT_ERROR_CODES } from '../../state/receipt.ts';
import { continuePrint, useSale } from '../../state/sale.ts';
import { setScreen, useStation } from '../../state/store.ts';
import { ErrorAlert } from '../ui.tsx';

/** Refusals that the same receipt sent again cannot fix: the cashier changes the receipt instead. */
const NOT_RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'validation_error',
  'refund_not_allowed',
  'idempotency_conflict',
  'mark_rejected',
]);

export function SaleError({ error }: { error: CommandError }) {
  const t = useT();
  const kkt = useStation((s) => s.snapshot?.kkt ?? null);
  const busy = useSale((s) => s.busy);
  const issues = fieldIssues(error);
  const paper =
    error.code === 'kkt_refused' &&
    (kkt?.mode === 'paper_out' ||
      kkt?.mode === 'awaiting_continue' ||
      kkt?.paperPresent === false ||
      kktReasonOf(error) === 'paper_out');
  const retryable = !NOT_RETRYABLE.has(error.code);
  return (
    <ErrorAlert error={error}>
      {issues.length > 0 ? (
        <ul className="issues">
          {issues.map((i) => (
            <li key={`${i.field}:${i.message}`}>
              <code>{i.field}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {retryable ? <p className="hint">{t.retryHint}</p> : null}
      {SHIFT_ERROR_CODES.has(error.code) ? (
        <button
          type="button"
          className="btn"
          onClick={() => {
            useSale.setState({ payOpen: false });
            setScreen('shift');
          }}
        >
          {t.goToShift}
        </button>
      ) : null}
      {paper ? (
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void continuePrint()}
        >
          {t.continuePrint}
        </button>
      ) : null}
    </ErrorAlert>
  );
}

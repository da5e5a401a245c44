// A form that is a panel of its own — the cashier's sign-in, the manager's sign-in, the first manager
// PIN, the first manager — so the four are one shape: named by its heading, checked by the form itself
// (noValidate: what is wrong is said in words at the field), the command's failure under the fields,
// and the submit button, disabled while the command runs, with any other buttons beside it.
import { useId, type FormEvent, type ReactNode } from 'react';
import type { CommandError } from '../../shared/errors.ts';
import { ErrorAlert } from './ui.tsx';

export function FormPanel({
  title,
  heading = 'h2',
  intro,
  error,
  busy,
  submitLabel,
  onSubmit,
  actions,
  children,
}: {
  title: string;
  /** h2 where the form is the screen (the till's door), h3 inside the manager's section. */
  heading?: 'h2' | 'h3';
  /** What to read before the fields. */
  intro?: ReactNode;
  error: CommandError | string | null;
  busy: boolean;
  submitLabel: string;
  onSubmit: () => void | Promise<void>;
  /** Buttons beside the submit button. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  const titleId = useId();
  const Heading = heading;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) void onSubmit();
  };
  return (
    <form className="panel narrow-form" onSubmit={submit} aria-labelledby={titleId} noValidate>
      <Heading id={titleId}>{title}</Heading>
      {intro}
      {children}
      {error ? <ErrorAlert error={error} /> : null}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {submitLabel}
        </button>
        {actions}
      </div>
    </form>
  );
}

// Small accessible building blocks: labelled fields with field-level errors (and the PIN field), a
// labelled menu, a check box and a radio group drawn as cards in the same field rows, alerts, a modal
// <dialog>, a progress bar with aria-valuenow, money text.
import {
  useId,
  useLayoutEffect,
  useRef,
  type InputHTMLAttributes,
  type ReactNode,
  type RefObject,
} from 'react';
import type { CommandError } from '../../shared/errors.ts';
import { formatMoney } from '../format.ts';
import { PIN_MAX_DIGITS } from '../../shared/pin.ts';
import { useLang, useT } from '../state/language.ts';

export function Money({ kop, className }: { kop: number; className?: string }) {
  const lang = useLang();
  return <span className={`money${className ? ` ${className}` : ''}`}>{formatMoney(kop, lang)}</span>;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'>;

export interface TextFieldProps extends InputProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | null | undefined;
  hint?: string | undefined;
  /** The id of a hint shown elsewhere (outside the field), read with the field like its own hint. */
  hintElsewhere?: string | undefined;
  inputRef?: RefObject<HTMLInputElement | null> | undefined;
  fieldClassName?: string;
}

/** <label> + <input> + hint + field error, wired with aria-describedby / aria-invalid. */
export function TextField({
  label,
  value,
  onValue,
  error,
  hint,
  hintElsewhere,
  inputRef,
  fieldClassName,
  ...rest
}: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId, hintElsewhere].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${fieldClassName ? ` ${fieldClassName}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A manager PIN: a masked numeric field that keeps digits only, at most PIN_MAX_DIGITS (isValidPin checks the rest). */
export function PinField({
  label,
  value,
  onValue,
  error,
  inputRef,
  hint,
}: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | null;
  inputRef?: RefObject<HTMLInputElement | null>;
  hint?: string;
}) {
  return (
    <TextField
      label={label}
      type="password"
      value={value}
      onValue={(v) => onValue(v.replace(/\D/g, '').slice(0, PIN_MAX_DIGITS))}
      error={error}
      inputRef={inputRef}
      hint={hint}
      inputMode="numeric"
      autoComplete="off"
      maxLength={PIN_MAX_DIGITS}
    />
  );
}

/** One entry of a SelectField: the value it stands for and the words the menu shows. */
export interface Choice<V extends string | number> {
  value: V;
  label: string;
}

/**
 * <label> + <select> in a field row, as TextField is for text. The value keeps its type (a unit code
 * stays a number, a VAT code its union): the menu answers the option picked, not the DOM's string.
 */
export function SelectField<V extends string | number>({
  label,
  value,
  onValue,
  options,
}: {
  label: string;
  value: V;
  onValue: (value: V) => void;
  options: readonly Choice<V>[];
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          const picked = options.find((o) => String(o.value) === e.target.value);
          if (picked) onValue(picked.value);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** How a RadioCards choice was made: by the arrow keys (walking the group) or by a click / Space. */
export interface RadioChange {
  byArrowKey: boolean;
}

/**
 * A choice of a few options drawn as cards: a radiogroup named by its legend, each card a native radio
 * named by its words, so the browser gives the group's keys (Tab enters at the checked card, the arrow
 * keys move the choice). `onValue` says whether an arrow key made the choice: a caller that moves the
 * focus to the field a choice needs does it for a click, never while the cashier walks the group.
 */
export function RadioCards<V extends string>({
  legend,
  value,
  onValue,
  options,
}: {
  legend: string;
  value: V;
  onValue: (value: V, how: RadioChange) => void;
  options: readonly Choice<V>[];
}) {
  const name = useId();
  const legendId = `${name}-legend`;
  const arrowKey = useRef(false);
  return (
    <fieldset
      className="radio-group"
      role="radiogroup"
      aria-labelledby={legendId}
      onKeyDown={(e) => (arrowKey.current = e.key.startsWith('Arrow'))}
      onPointerDown={() => (arrowKey.current = false)}
    >
      <legend id={legendId}>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className={`radio-card${value === o.value ? ' checked' : ''}`}>
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => {
              onValue(o.value, { byArrowKey: arrowKey.current });
              arrowKey.current = false;
            }}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A check box named by the words beside it (the whole line is the click target). */
export function CheckField({
  label,
  checked,
  onChecked,
}: {
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        className="checkbox"
        checked={checked}
        onChange={(e) => onChecked(e.target.checked)}
      />
      {label}
    </label>
  );
}

let lastInputWasPointer = false;
document.addEventListener('pointerdown', () => (lastInputWasPointer = true), { capture: true });
document.addEventListener('keydown', () => (lastInputWasPointer = false), { capture: true });

/**
 * Focuses a screen's first field when it opens, except while the person walks the tab list with the
 * keyboard: taking focus from the tab would make the tabs impossible to walk. A clicked tab, or a
 * shortcut pressed in a field, still lands in the screen's first field.
 */
export function focusOnOpen(el: HTMLElement | null | undefined): void {
  const onTab = document.activeElement?.getAttribute('role') === 'tab';
  if (el && !(onTab && !lastInputWasPointer)) el.focus();
}

/** A failure explained in words (role=alert), with optional actions. */
export function ErrorAlert({ error, children }: { error: CommandError | string; children?: ReactNode }) {
  const t = useT();
  const message = typeof error === 'string' ? error : t.errorText(error);
  return (
    <div role="alert" className="alert alert-error">
      <p>{message}</p>
      {children ? <div className="alert-actions">{children}</div> : null}
    </div>
  );
}

/** A polite confirmation (role=status). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="notice">
      {children}
    </p>
  );
}

export function ProgressBar({
  label,
  value,
  max,
  text,
  marks,
  level,
}: {
  label: string;
  value: number;
  max: number;
  text?: string;
  marks?: number[];
  level?: string;
}) {
  const pct = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  const barRef = useRef<HTMLDivElement>(null);
  // CSSOM writes are allowed by the CSP (style-src 'self'); inline style attributes would not be.
  useLayoutEffect(() => {
    barRef.current?.style.setProperty('width', `${pct}%`);
  }, [pct]);
  const markRefs = useRef<(HTMLSpanElement | null)[]>([]);
  useLayoutEffect(() => {
    marks?.forEach((m, i) => markRefs.current[i]?.style.setProperty('left', `${m}%`));
  }, [marks]);
  return (
    <div className={`progress progress-${level ?? 'ok'}`}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={text}
        className="progress-track"
      >
        <div className="progress-bar" ref={barRef} />
        {marks?.map((m, i) => (
          <span
            key={m}
            className="progress-mark"
            aria-hidden="true"
            ref={(el) => {
              markRefs.current[i] = el;
            }}
          />
        ))}
      </div>
      {text ? <span className="progress-text">{text}</span> : null}
    </div>
  );
}

/** A modal <dialog> named by its heading; Escape (the dialog's cancel event) calls onClose. */
export function Modal({
  title,
  onClose,
  children,
  initialFocus,
  className,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  initialFocus?: RefObject<HTMLElement | null>;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    const previous = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    if (initialFocus?.current) {
      initialFocus.current.focus();
      if (initialFocus.current instanceof HTMLInputElement) initialFocus.current.select();
    }
    return () => {
      d.close();
      if (previous && document.contains(previous)) previous.focus();
    };
    // Runs once: the dialog opens when mounted and closes when unmounted.
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={`modal${className ? ` ${className}` : ''}`}
      onCancel={(e) => {
        e.preventDefault();
        onCloseRef.current();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** Definition list rows: [term, value]. */
export function Facts({ rows, className }: { rows: [string, ReactNode][]; className?: string }) {
  return (
    <dl className={`facts${className ? ` ${className}` : ''}`}>
      {rows.map(([term, value]) => (
        <div key={term} className="fact">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A row's icon button: `label` names it for screen readers and shows as its tooltip. */
export function RowAction({
  label,
  icon,
  onClick,
  disabled,
  danger,
}: {
  label: string;
  icon: string;
  onClick: () => void;
  disabled?: boolean;
  /** A destructive action (remove): drawn in the danger colour. */
  danger?: boolean;
}) {
  return (
    <button
      type="button"
      className={danger ? 'btn btn-small btn-danger' : 'btn btn-small'}
      disabled={disabled}
      aria-label={label}
      title={label}
      onClick={onClick}
    >
      {icon}
    </button>
  );
}

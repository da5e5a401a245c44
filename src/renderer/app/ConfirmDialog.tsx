// One confirmation for a destructive action (clear the receipt, delete a line, close the shift over
// receipts the OFD has not accepted yet): a modal dialog named by its question, keyboard first — focus
// starts on the confirming button, so Enter confirms and Escape (the dialog's cancel) keeps everything
// as it was.
import { useRef, type ReactNode } from 'react';
import { useT } from '../state/language.ts';
import { Modal } from './ui.tsx';

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const ref = useRef<HTMLButtonElement>(null);
  return (
    <Modal title={title} onClose={onCancel} initialFocus={ref} className="confirm-dialog">
      {children}
      <div className="dialog-actions">
        <button type="button" className="btn btn-danger" ref={ref} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </Modal>
  );
}

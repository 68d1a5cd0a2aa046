/** A yes/no question in a native modal dialog (focus trapped, Esc cancels). */
import { useModal } from './use-modal.ts';
import type { ReactNode } from 'react';

interface Props {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId: string;
}

export function ConfirmDialog({ open, title, children, confirmLabel, danger = false, busy = false, onConfirm, onCancel, testId }: Props) {
  const ref = useModal(open);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${testId}-title`} onClose={onCancel} data-testid={testId}>
      <h2 id={`${testId}-title`}>{title}</h2>
      {children}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} autoFocus data-testid={`${testId}-cancel`}>
          Cancel
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} disabled={busy} onClick={onConfirm} data-testid={`${testId}-confirm`}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

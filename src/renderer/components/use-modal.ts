/** Opens and closes a native <dialog> as a modal with `open`: focus is trapped and Esc closes it. */
import { useEffect, useRef, type RefObject } from 'react';

export function useModal(open: boolean): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}

/** Keyboard shortcut helpers: a shortcut never fires while the person types in a box. */

/** Inputs one clicks rather than types into: shortcuts still work on them. */
const NOT_TYPED: ReadonlySet<string> = new Set(['radio', 'checkbox', 'button', 'submit', 'reset', 'range', 'color', 'file']);

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (target instanceof HTMLInputElement) return !NOT_TYPED.has(target.type);
  return tag === 'TEXTAREA' || tag === 'SELECT';
}

export function hasModifier(event: KeyboardEvent): boolean {
  return event.ctrlKey || event.metaKey || event.altKey;
}

/** True when a modal dialog is open: page shortcuts stay quiet behind it. */
export function isDialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

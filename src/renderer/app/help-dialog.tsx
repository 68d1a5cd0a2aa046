/** The keyboard help ("?"): a native modal dialog, so focus and Esc behave as expected. */
import { useModal } from '../components/use-modal.ts';

const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'j', what: 'Next conflict (in the queue, ↓ too; on a conflict page, opens the next one)' },
  { keys: 'k', what: 'Previous conflict (↑ in the queue)' },
  { keys: 'Enter', what: 'Queue: open the selected conflict. Conflict page: confirm the decision' },
  { keys: '1 – 9', what: 'Choose entry 1 to 9 of the conflict' },
  { keys: 'c', what: 'Enter a corrected value instead' },
  { keys: 'Ctrl + Enter', what: 'In the comment: confirm the decision (Enter there is a new line; in a corrected-value box Enter confirms)' },
  { keys: 'Esc', what: 'Back to the queue (or close this help)' },
  { keys: '?', what: 'Show this help' },
];

export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useModal(open);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="help-title" onClose={onClose} data-testid="help-dialog">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Shortcuts do nothing while you are typing in a box, except Ctrl + Enter in the comment and Enter in a corrected-value box.</p>
      <form method="dialog">
        <button type="submit" className="primary" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}

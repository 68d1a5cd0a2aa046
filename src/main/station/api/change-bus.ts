/** In-process fan-out of change events to the dashboard's live feed (SSE, IPC push). */
import type { ChangeEvent } from '../../../shared/api/station-api.ts';

export type ChangeListener = (event: ChangeEvent) => void;

export class ChangeBus {
  readonly #listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(event: ChangeEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}

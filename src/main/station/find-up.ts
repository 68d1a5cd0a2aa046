/** The nearest folder, from `start` up to the file-system root, that satisfies `isIt`. */
import { dirname } from 'node:path';

export function findUp(start: string, isIt: (dir: string) => boolean): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isIt(dir)) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** Remembers the window's place and size across restarts (userData/window-state.json). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen, type BrowserWindow } from 'electron';
import { restoreBounds, type Bounds } from './shell-logic.ts';

export function loadBounds(userData: string): Bounds {
  let saved: unknown = null;
  try {
    saved = JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')) as unknown;
  } catch {
    // first start, or an unreadable file: the default place
  }
  return restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
}

export function rememberBounds(window: BrowserWindow, userData: string): void {
  window.on('close', () => {
    if (!window.isMinimized()) writeFileSync(join(userData, 'window-state.json'), JSON.stringify(window.getNormalBounds()));
  });
}

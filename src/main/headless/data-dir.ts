/** The per-user default data dir, as a desktop app on each OS would put it. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'WellOS Station');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'WellOS Station');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'wellos-station');
}

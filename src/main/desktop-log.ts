/** The station's structured logs in the desktop app go through electron-log (a file beside userData). */
import log from 'electron-log/main';
import pino, { type Logger } from 'pino';

export function desktopLogger(): Logger {
  log.initialize();
  return pino({ level: 'info', base: { app: 'wellos-station' } }, { write: (line: string) => log.info(line.trimEnd()) });
}

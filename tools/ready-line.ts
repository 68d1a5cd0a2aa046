/**
 * Waits for the one `READY {json}` line a server prints on stdout when it listens (the
 * station's `serve`, `npm run hq`). Rejects with what the process wrote to stderr when it
 * exits first, fails to start, or says nothing within the time given. Used by the tests,
 * the benches and the simulator, which all start these processes as children.
 */
import type { ChildProcess } from 'node:child_process';

export function readyLine(child: ChildProcess, opts: { what: string; timeoutMs: number }): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`${opts.what} printed no READY line within ${opts.timeoutMs} ms: ${err}`))), opts.timeoutMs);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      if (settled) return;
      out += d.toString();
      const line = /^READY (\{.*\})\s*$/m.exec(out)?.[1];
      if (line === undefined) return;
      settle(() => {
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
        } catch {
          reject(new Error(`${opts.what} printed a READY line that is not JSON: ${line}`));
        }
      });
    });
    child.once('error', (e) => settle(() => reject(e)));
    child.once('exit', (code) => settle(() => reject(new Error(`${opts.what} exited (${String(code)}) before READY: ${err}`))));
  });
}

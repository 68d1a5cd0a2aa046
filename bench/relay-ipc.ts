/**
 * Request/answer over Node's IPC channel for the relay bench's children (the station and
 * HQ each run in their own process, so neither shares an event loop with the bench's
 * link emulator and timers). The parent `fork`s a child and calls `ask(op, args)`; the
 * child `serve`s a table of handlers. Messages are JSON (structured as `{id, op, args}`
 * and `{id, ok, value | error}`).
 */
import { fork, type ChildProcess } from 'node:child_process';

interface Request {
  id: number;
  op: string;
  args: unknown;
}

type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export type Handlers = Record<string, (args: never) => unknown>;

/** In the child: answers each request with its handler's (awaited) value. */
export function serve(handlers: Handlers): void {
  process.on('message', (message: Request) => {
    const handler = handlers[message.op] as ((args: unknown) => unknown) | undefined;
    const reply = (answer: Answer): void => {
      process.send?.(answer);
    };
    if (handler === undefined) {
      reply({ id: message.id, ok: false, error: `unknown op ${message.op}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (value) => reply({ id: message.id, ok: true, value: value ?? null }),
        (error: unknown) => reply({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

export interface ChildHandle {
  readonly pid: number;
  ask<T>(op: string, args?: unknown): Promise<T>;
  /** Closes the channel (the child exits) and waits for the exit. */
  stop(): Promise<void>;
}

/** Forks a TypeScript child through tsx; its stdout goes to our stderr (it is progress, not the report). */
export function forkChild(script: string, name: string): ChildHandle {
  const child: ChildProcess = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 'inherit', 'ipc'] });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      for (const w of waiting.values()) w.reject(new Error(`${name} exited (${code ?? signal ?? '?'}) with a request open`));
      waiting.clear();
      resolve();
    });
  });
  child.on('message', (answer: Answer) => {
    const w = waiting.get(answer.id);
    if (w === undefined) return;
    waiting.delete(answer.id);
    if (answer.ok) w.resolve(answer.value);
    else w.reject(new Error(`${name}: ${answer.error}`));
  });
  return {
    pid: child.pid ?? 0,
    ask: <T>(op: string, args: unknown = {}): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        if (exited) {
          reject(new Error(`${name} is not running`));
          return;
        }
        const id = next++;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args } satisfies Request);
      }),
    stop: async () => {
      if (!exited) {
        if (child.connected) child.disconnect();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exit;
        clearTimeout(timer);
      }
    },
  };
}

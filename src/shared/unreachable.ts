/**
 * Exhaustiveness guard for `switch` statements over closed unions.
 * Guarantees: compiles only when every member of the union has been handled; if a value
 * the types rule out still arrives at run time (bad data, a newer peer), it throws
 * instead of falling through silently.
 */
export function unreachable(value: never): never {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  throw new Error(`Unreachable: unexpected value ${shown}`);
}

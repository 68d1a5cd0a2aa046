/**
 * `npm run bench -- <name> [flags]`: runs one benchmark. Each bench is a module with a
 * `run(argv) → exit code` entry, loaded only when asked for; add new ones to BENCHES.
 */
interface Bench {
  summary: string;
  run: (argv: string[]) => Promise<number>;
}

const BENCHES: Record<string, Bench> = {
  ingest: {
    summary: '100,000 device events into a 1,000,000-event station vs. the physical limit and the naive pattern (issue 2)',
    run: async (argv) => (await import('./ingest.ts')).runIngestBench(argv),
  },
  http: {
    summary: 'the same 100,000 events over HTTP from a separate process vs. in-process; 20 tablets at once; READY time and RSS (issue 3)',
    run: async (argv) => (await import('./http.ts')).runHttpBench(argv),
  },
  pages: {
    summary: 'not a timing: which tables and indexes the commits of the ingest workload write, in pages per 1,000 events (issue 2)',
    run: async (argv) => (await import('./ingest-pages.ts')).runPagesBench(argv),
  },
  floor: {
    summary: "an upper bound for issue 2's ratio: (a) beside (a) + an event-id index + the smallest per-key projection, and the pipeline's JS without SQL",
    run: async (argv) => (await import('./floor.ts')).runFloorBench(argv),
  },
  relay: {
    summary: 'a 100,000-event backlog + 50 photos drained to HQ through sat-link geo with outages: wire bytes/event, drain time vs floor, critical latency (issue 6)',
    run: async (argv) => (await import('./relay.ts')).runRelayBench(argv),
  },
  ui: {
    summary: 'the dashboard in Chromium on 10,000 pending conflicts / 50,000 records: interactive list, scroll frame times, decision reflected (issue 4)',
    run: async (argv) => (await import('./ui.ts')).runUiBench(argv),
  },
};

function usage(): string {
  const names = Object.keys(BENCHES);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'usage: npm run bench -- <name> [flags]   (<name> --help for its flags)',
    'benches:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${BENCHES[n]?.summary ?? ''}`),
  ].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
const bench = name === undefined ? undefined : BENCHES[name];
if (bench === undefined) {
  if (name !== undefined && name !== '--help' && name !== '-h') console.error(`unknown bench "${name}"`);
  console.error(usage());
  process.exitCode = name === '--help' || name === '-h' ? 0 : 2;
} else {
  try {
    process.exitCode = await bench.run(rest);
  } catch (error) {
    console.error(`bench ${name ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

#!/usr/bin/env node
/**
 * Prints the one closing line CI reads — `N passed, N failed` — summed over the
 * Vitest and Playwright JSON reports, and exits 1 if anything failed.
 *
 * Usage:
 *   node scripts/ci-summary.mjs --vitest test-results/vitest.json \
 *     --playwright test-results/playwright.json [--vitest-exit N] [--playwright-exit N]
 *
 * Rules:
 * - A suite whose flag is left out was skipped on purpose and counts 0 tests.
 *   A suite whose flag is given ran, so its report must exist and parse: a
 *   missing or unreadable report is an error and counts as one failure.
 * - Skipped and todo tests count in neither number. A Playwright "flaky" test
 *   (failed, then passed on retry) counts as passed.
 * - Failures that are not a single test still count, one each, so the line
 *   never reads "0 failed" for a run that failed: a Vitest file that failed to
 *   load, a Playwright global error (config, webServer, syntax), and a runner
 *   that exited non-zero (`--*-exit`) with no failure in its report (e.g.
 *   Vitest's unhandled errors, or "No test files found").
 * - The line goes to stdout; every explanation goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE =
  'usage: node scripts/ci-summary.mjs [--vitest PATH] [--playwright PATH] [--vitest-exit N] [--playwright-exit N]';

/** @typedef {{ passed: number, failed: number, problems: string[] }} Tally */

/** @param {unknown} value */
function isCount(value) {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** @param {string} path @returns {unknown} */
function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** @param {any} report @returns {Tally} */
function tallyVitest(report) {
  const keys = ['numPassedTests', 'numFailedTests'];
  if (report === null || typeof report !== 'object' || !keys.every((k) => isCount(report[k]))) {
    throw new Error('not a Vitest JSON report (numPassedTests/numFailedTests missing)');
  }
  /** @type {string[]} */
  const problems = [];
  let failed = report.numFailedTests;
  const results = Array.isArray(report.testResults) ? report.testResults : [];
  for (const file of results) {
    const assertions = Array.isArray(file?.assertionResults) ? file.assertionResults : [];
    const hasFailedTest = assertions.some((a) => a?.status === 'failed');
    if (file?.status === 'failed' && !hasFailedTest) {
      failed += 1;
      const firstLine = String(file.message ?? '').split('\n')[0];
      problems.push(`vitest: ${file.name ?? '(unnamed file)'} failed outside any test: ${firstLine}`);
    }
  }
  if (report.success === false && failed === 0) {
    failed += 1;
    problems.push('vitest: the report says success=false with no failed test (e.g. no test files found)');
  }
  return { passed: report.numPassedTests, failed, problems };
}

/** @param {any} report @returns {Tally} */
function tallyPlaywright(report) {
  const stats = report?.stats;
  const keys = ['expected', 'unexpected', 'flaky'];
  if (stats === null || typeof stats !== 'object' || !keys.every((k) => isCount(stats[k]))) {
    throw new Error('not a Playwright JSON report (stats.expected/unexpected/flaky missing)');
  }
  const errors = Array.isArray(report.errors) ? report.errors : [];
  const problems = errors.map((e) => `playwright: ${String(e?.message ?? e).split('\n')[0]}`);
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected + errors.length, problems };
}

/** @param {string | undefined} raw @param {string} flag */
function parseExit(raw, flag) {
  if (raw === undefined) return undefined;
  const code = Number(raw);
  if (!Number.isInteger(code)) throw new Error(`${flag} wants an integer exit code, got ${JSON.stringify(raw)}`);
  return code;
}

function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        vitest: { type: 'string' },
        playwright: { type: 'string' },
        'vitest-exit': { type: 'string' },
        'playwright-exit': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`ci-summary: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }

  const suites = [
    { name: 'vitest', path: args.vitest, exitFlag: 'vitest-exit', tally: tallyVitest },
    { name: 'playwright', path: args.playwright, exitFlag: 'playwright-exit', tally: tallyPlaywright },
  ];

  let passed = 0;
  let failed = 0;
  /** @type {string[]} */
  const problems = [];

  for (const suite of suites) {
    /** @type {number | undefined} */
    let exitCode;
    try {
      exitCode = parseExit(args[suite.exitFlag], `--${suite.exitFlag}`);
    } catch (error) {
      process.stderr.write(`ci-summary: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
      return 2;
    }
    if (suite.path === undefined) {
      if (exitCode !== undefined) problems.push(`${suite.name}: --${suite.exitFlag} given but no report path`);
      continue; // skipped on purpose: counts 0 tests
    }
    let tally;
    try {
      tally = suite.tally(readJson(suite.path));
    } catch (error) {
      failed += 1;
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(`${suite.name}: report ${suite.path} is missing or unreadable: ${reason}`);
      continue;
    }
    passed += tally.passed;
    failed += tally.failed;
    problems.push(...tally.problems);
    if (exitCode !== undefined && exitCode !== 0 && tally.failed === 0) {
      failed += 1;
      problems.push(`${suite.name}: runner exited ${exitCode} although its report shows no failed test`);
    }
  }

  for (const problem of problems) process.stderr.write(`ci-summary: ${problem}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 || problems.length > 0 ? 1 : 0;
}

process.exitCode = main();

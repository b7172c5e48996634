// Node-side printing for the runners that collect suite results from another runtime
// (workerd, Chromium): one line per case, failures with their message, then the plain
// "N passed, N failed" line. Returns the number of failures.
export function printResults(runtime, results) {
  let failed = 0;
  for (const { name, ok, error, ms } of results) {
    if (ok) {
      console.log(`  ok    ${name} (${ms} ms)`);
    } else {
      failed += 1;
      console.log(`  FAIL  ${name} (${ms} ms)`);
      console.log(`        ${String(error).split("\n").join("\n        ")}`);
    }
  }
  if (results.length === 0) {
    console.log(`${runtime}: no case ran`);
    return 1;
  }
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed;
}

/** `--only=<substring>` from argv, to run a subset while debugging. */
export const onlyFromArgv = () => process.argv.find((arg) => arg.startsWith("--only="))?.slice(7);

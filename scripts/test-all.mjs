// `npm test`: every suite runs, whatever failed before it, and the end says which failed.
// Each step's output streams through; mocha's "N passing / N failing" and the editor run's
// ✔/✖ lines are counted, so the last line is "N passed, N failed" over everything.
import { spawn } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const only = process.argv.slice(2);
const steps = [
  { name: 'build', command: npm, args: ['run', 'build'] },
  { name: 'typecheck', command: npm, args: ['run', 'typecheck'] },
  { name: 'lint', command: npm, args: ['run', 'lint'] },
  { name: 'unit', command: npx, args: ['mocha', 'test/unit/**/*.test.ts'], mocha: true },
  { name: 'integration', command: npx, args: ['mocha', 'test/integration/**/*.test.ts'], mocha: true },
  { name: 'editor', command: npm, args: ['run', 'test:e2e'], ticks: true },
].filter((step) => !only.length || only.includes(step.name));

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(step.command, step.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let passed = 0;
    let failed = 0;
    let tail = '';
    // Mocha's failure section ("N failing" and what follows) and the editor run's ✖ lines are kept,
    // so the summary at the very end names what failed even when only the end of the log is seen.
    const failures = [];
    let inFailureSection = false;
    const count = (text) => {
      tail += text;
      const lines = tail.split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) {
        if (step.mocha) {
          const match = /^\s+(\d+) (passing|failing)\b/.exec(line);
          if (match) {
            if (match[2] === 'passing') passed = Number(match[1]);
            else {
              failed = Number(match[1]);
              inFailureSection = true;
            }
          } else if (inFailureSection && failures.length < 60 && !/^\s+at /.test(line)) failures.push(line);
        } else if (step.ticks) {
          if (/^\s+✔ /.test(line)) passed++;
          if (/^\s+✖ /.test(line)) {
            failed++;
            failures.push(line);
          }
        }
      }
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      count(chunk.toString());
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('close', (code, signal) => {
      count('\n');
      const ok = code === 0;
      if (!step.mocha && !step.ticks) {
        if (ok) passed++;
        else failed++;
      }
      // A step that failed without a counted failure (a crash, a build error) still counts as one.
      else if (!ok && failed === 0) failed = 1;
      resolve({ name: step.name, ok, passed, failed, seconds: (Date.now() - started) / 1000, code: code ?? signal, failures });
    });
  });
}

const results = [];
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.command} ${step.args.join(' ')}`);
  results.push(await run(step));
}
for (const r of results.filter((r) => r.failures.length)) {
  console.log(`\n--- what failed in ${r.name}:`);
  console.log(
    r.failures
      .filter((line) => line.trim())
      .slice(0, 16)
      .join('\n'),
  );
}
console.log('\n=== summary');
for (const r of results)
  console.log(
    `${r.ok ? 'ok    ' : 'FAILED'} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed, ${String(r.failed).padStart(3)} failed  (${r.seconds.toFixed(0)} s${r.ok ? '' : `, exit ${r.code}`})`,
  );
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;

// `npm start`: build everything, then launch the desktop app. Where Electron cannot start (no
// binary could be downloaded, no display) say exactly why and run the same engine headless
// (`switchboard serve`) instead; serve prints the dashboard address with its admin token.
// Arguments after `--` go to the app, or to `serve` in the fallback (e.g. `npm start -- --port 0`).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { electronFacts, electronUnavailableReason } from './desktop-launch-check.mjs';
import { runHeadless as runServe } from './run-headless.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

const built = spawnSync(process.execPath, ['scripts/build.mjs', 'all', '--quiet'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const facts = electronFacts(root);
const reason = electronUnavailableReason(facts);
if (reason) {
  runHeadless(`Electron cannot start here: ${reason}.`);
} else {
  const startedAt = Date.now();
  const child = spawn(facts.binaryPath, [root, ...args], { cwd: root, stdio: 'inherit' });
  child.on('error', (error) => runHeadless(`Electron could not be launched: ${error.message}.`));
  child.on('exit', (code, signal) => {
    // A crash within seconds is a machine problem (missing shared libraries, GPU, sandbox).
    if (code !== 0 && signal === null && Date.now() - startedAt < 5000) {
      runHeadless(`Electron exited with code ${code} right after launch (see its output above).`);
    } else {
      process.exit(code ?? 0);
    }
  });
}

function runHeadless(why) {
  runServe(args, why);
}

// The headless fallback of `npm start`: runs `switchboard serve` as a child and passes signals on.
// One Ctrl-C reaches both this process and the child (the terminal signals the whole foreground
// process group, and npm forwards it too); the child counts signals that arrive together as one,
// so a single Ctrl-C drains once. Run directly for the same behaviour: node scripts/run-headless.mjs [serve args]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Spawns serve with `args`; this process exits with the child's code once it stopped. */
export function runHeadless(args, why) {
  if (why) {
    console.error(`${why}\nRunning the same engine headless instead: switchboard serve ${args.join(' ')}`.trim());
    console.error('The dashboard address (with its admin token) is printed below; open it in a browser.\n');
  }
  const serve = spawn(process.execPath, ['bin/switchboard.js', 'serve', ...args], { cwd: root, stdio: 'inherit' });
  const forward = (signal) => {
    // The child may already be gone (it exits on its own after a drain).
    if (serve.exitCode === null && serve.signalCode === null) serve.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  serve.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return serve;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runHeadless(process.argv.slice(2), null);
}

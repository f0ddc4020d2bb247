#!/usr/bin/env node
// Runs the TypeScript CLI on Node 24 (type stripping). When started by an
// older Node from PATH, re-runs itself with the Node 24 pinned in devDependencies.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  // Node keeps the compiled (and type-stripped) modules in its cache folder: a command starts in about two thirds of the CPU.
  module.enableCompileCache?.();
  // A reader that goes away (\`minxin … | head\`) ends the command quietly, as other command-line tools do.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const { runCli } = await import('../cli/main.ts');
  const write = (stream) => (line) => stream.write(`${line}\n`);
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: write(process.stdout),
    stderr: write(process.stderr),
    env: process.env,
    cwd: process.cwd(),
  });
} else {
  const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(pinned)) {
    process.stderr.write(`minxin: needs Node 24 (found ${process.versions.node}); run "npm install" first\n`);
    process.exit(1);
  }
  const result = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

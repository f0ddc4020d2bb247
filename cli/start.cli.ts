import { withDeps, type CliCommand } from '../server/platform/index.ts';

// The server and the demo city load only when these commands run, so every other command starts without them.

/** `start` and `demo`: the commands that put Minxin in front of people. */
export const startCommands: CliCommand[] = [
  {
    name: 'start',
    summary: 'Run Minxin (API + web app); loads the demo city on first start',
    usage: 'minxin start   (PORT, DATA_DIR, DATABASE_URL, LOG_LEVEL … from the environment)',
    options: {},
    async run(_args, io) {
      const { startServer } = await import('../server/main.ts');
      const server = await startServer(io.env, { cwd: io.cwd, log: io.stdout });
      io.stdout('');
      io.stdout(`民心 Minxin is running at ${server.url}`);
      io.stdout(`API documentation: ${server.url}/docs`);
      if (server.demoLogins.length > 0) {
        io.stdout('Demo logins (演示账号):');
        for (const login of server.demoLogins) io.stdout(`  ${login.username.padEnd(22)} ${login.password.padEnd(26)} ${login.description}`);
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.stop();
    },
  },
  {
    name: 'demo',
    summary: 'Load the demo city (青岛市) if it is not there, and print the demo logins',
    usage: 'minxin demo [--seed N]',
    options: { seed: { type: 'string' } },
    async run({ values }, io) {
      const { loadDemoCity } = await import('../server/demo/index.ts');
      return withDeps(io, async (deps) => {
        const seed = typeof values.seed === 'string' ? Number(values.seed) : deps.config.demoSeed;
        if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
        const demo = await loadDemoCity(deps, seed);
        io.stdout(demo.loaded ? 'Demo city loaded.' : 'The demo city is already there.');
        for (const login of demo.logins) io.stdout(`${login.username}\t${login.password}\t${login.role}`);
      });
    },
  },
];

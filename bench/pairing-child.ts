// A child process for the pairing benchmark, so each measurement has its own
// peak RSS: `solve SCALE SCENARIO` generates a city and solves it;
// `cli INSTANCE OUTPUT` runs `minxin pair` in-process from a cold start
// (performance.now() counts from the process's start, module loading included);
// `idle` only loads the CLI (its own start-up time and memory).
// Prints one JSON line.
import { performance } from 'node:perf_hooks';

const MB = 2 ** 20;
const [mode, first, second] = process.argv.slice(2);

if (mode === 'solve') {
  const { generatePairingCity, scenarioOptions, solvePairing } = await import('../server/algorithms/pairing/index.ts');
  const started = performance.now();
  const city = generatePairingCity({ scale: Number(first) });
  const generated = performance.now();
  const cpu = process.cpuUsage();
  const result = solvePairing(city, { ...scenarioOptions(second === 'plain' ? 'plain' : 'full'), clock: () => performance.now() });
  const used = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      households: city.households.length,
      cadres: city.cadres.length,
      generateSeconds: (generated - started) / 1000,
      solveSeconds: (performance.now() - generated) / 1000,
      solveCpuSeconds: (used.user + used.system) / 1e6,
      maxRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
      status: result.status,
      certified: result.certified,
      cost: result.cost,
      lowerBound: result.lowerBound,
      stats: result.stats,
    }),
  );
} else if (mode === 'cli' || mode === 'idle') {
  const { runCli } = await import('../cli/main.ts');
  if (mode === 'idle') {
    console.log(JSON.stringify({ processSeconds: performance.now() / 1000, maxRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / MB) }));
    process.exit(0);
  }
  const errors: string[] = [];
  const code = await runCli(['pair', '--instance', first!, '--output', second!], { stdout: () => {}, stderr: (line) => errors.push(line), env: { LOG_LEVEL: 'silent' }, cwd: process.cwd() });
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ code, processSeconds: performance.now() / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / MB), summary: errors }));
} else {
  console.error('usage: node bench/pairing-child.ts solve SCALE [full|plain] | cli INSTANCE OUTPUT | idle');
  process.exitCode = 2;
}

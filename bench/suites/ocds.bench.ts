// OCDS oversight throughput: `minxin ocds indicators` (every indicator
// enabled) and `ocds compile` over ≥ 100,000 releases built from the shared
// real examples (sample-data/real-examples, replicated with re-keyed ocids,
// deterministic), against a bare read + JSON.parse pass over the same file,
// measured in the same run. Target: each ≥ 50 % of the baseline's throughput,
// with bounded memory (peak RSS reported). BENCH_OCDS_RELEASES sets the count
// (default 100,000). See docs/ocds.md and docs/benchmarks.md.
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SETTINGS_TEMPLATE } from '../../server/algorithms/ocds-indicators/index.ts';
import { ocdsOversightCommands } from '../../server/modules/projects/procurement/ocds-oversight.cli.ts';
import { round, runTimedScenarios, type BenchOptions, type BenchSuite, type SuiteResult, type TimedScenario } from '../suite.ts';

const SOURCE = path.resolve(import.meta.dirname, '../../../shared/data/ocds/sample-data/real-examples');
const COMPILE_MODULE = path.resolve(import.meta.dirname, '../../server/modules/projects/procurement/ocds-compile.ts');
const MB = 2 ** 20;
const CHUNK_BYTES = 1 << 20;

export const suite: BenchSuite = {
  name: 'ocds',
  description: 'minxin ocds indicators (all indicators) and ocds compile over 100,000 releases from the OCDS real examples vs a bare read + JSON.parse pass over the same file',
  run: runOcds,
};

type Release = Record<string, unknown> & { ocid: string };

/** Every release of the real examples (release packages, record packages' compiled releases, bare releases), in file order. */
function sourceReleases(folder: string): Release[] {
  const releases: Release[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.json')) {
        let data: unknown;
        try {
          data = JSON.parse(readFileSync(file, 'utf8'));
        } catch {
          continue;
        }
        const object = data as Record<string, unknown>;
        const candidates: unknown[] = Array.isArray(object.releases) ? object.releases : Array.isArray(object.records) ? object.records.map((record) => (record as Record<string, unknown>).compiledRelease) : [object];
        for (const release of candidates) if (release && typeof release === 'object' && typeof (release as Release).ocid === 'string') releases.push(release as Release);
      }
    }
  };
  walk(folder);
  return releases;
}

/**
 * Writes `count` releases to `file`: copy k of the sources gets ocid
 * `<ocid>-k<k>`, lines sorted by ocid (code-point order, as compile emits), a
 * process's releases kept together in source order. Processes whose releases
 * do not all carry a date keep only their last release (compile needs dates
 * to order several). Returns the file's size.
 */
function writeReleases(file: string, sources: Release[], count: number): number {
  const groups = new Map<string, Release[]>();
  for (const release of sources) {
    const group = groups.get(release.ocid) ?? [];
    group.push(release);
    groups.set(release.ocid, group);
  }
  const processes = [...groups.values()].map((group) => (group.every((release) => typeof release.date === 'string') ? group : group.slice(-1)));
  const perCopy = processes.reduce((sum, group) => sum + group.length, 0);
  const copies = Math.ceil(count / perCopy);
  const keys: { ocid: string; process: number; copy: number }[] = [];
  for (let copy = 0; copy < copies; copy++) processes.forEach((group, process) => keys.push({ ocid: `${group[0]!.ocid}-k${copy}`, process, copy }));
  keys.sort((a, b) => (a.ocid < b.ocid ? -1 : a.ocid > b.ocid ? 1 : 0));
  const fd = openSync(file, 'w');
  let written = 0;
  let bytes = 0;
  let buffer: string[] = [];
  try {
    for (const key of keys) {
      for (const release of processes[key.process]!) {
        if (written >= count) break;
        const line = `${JSON.stringify({ ...release, ocid: key.ocid })}\n`;
        buffer.push(line);
        bytes += Buffer.byteLength(line);
        written++;
      }
      if (buffer.length >= 1000) {
        writeSync(fd, buffer.join(''));
        buffer = [];
      }
    }
    writeSync(fd, buffer.join(''));
  } finally {
    closeSync(fd);
  }
  return bytes;
}

async function runOcds(options: BenchOptions): Promise<SuiteResult> {
  if (!existsSync(SOURCE)) {
    options.log(`skipped: ${SOURCE} is absent`);
    return { setup: { skipped: `${SOURCE} is absent` }, scenarios: [] };
  }
  const count = Number(options.env.BENCH_OCDS_RELEASES || 100_000);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'minxin-ocds-bench-'));
  try {
    const sources = sourceReleases(SOURCE);
    const file = path.join(scratch, 'releases.jsonl');
    options.log(`writing ${count.toLocaleString('en')} releases from ${sources.length} real examples …`);
    const bytes = writeReleases(file, sources, count);
    options.log(`${round(bytes / MB, 0)} MiB written`);
    const settingsFile = path.join(scratch, 'settings.ini');
    writeFileSync(settingsFile, SETTINGS_TEMPLATE);

    const rssBefore = process.memoryUsage().rss;
    const peaks: Record<string, number> = {};
    const sampleWhile = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const sample = () => (peaks[name] = Math.max(peaks[name] ?? 0, process.memoryUsage().rss));
      const timer = setInterval(sample, 25);
      try {
        return await work();
      } finally {
        clearInterval(timer);
        sample();
      }
    };

    let parsedLines = 0;
    // The bare pass: bytes in 1 MiB chunks, each chunk's complete lines
    // decoded in one Buffer.toString (lenient UTF-8, the fast path) and split
    // on LF, JSON.parse per line. Nothing is checked or kept.
    const readAndParse = () =>
      sampleWhile('read+parse', async () => {
        let carry: Buffer = Buffer.alloc(0);
        let lines = 0;
        const parse = (text: string): void => {
          for (const piece of text.split('\n')) if (piece !== '' && JSON.parse(piece) !== undefined) lines++;
        };
        for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
          const bytes = chunk as Buffer;
          const lastLf = bytes.lastIndexOf(0x0a);
          if (lastLf < 0) {
            carry = Buffer.concat([carry, bytes]);
            continue;
          }
          parse((carry.length > 0 ? Buffer.concat([carry, bytes.subarray(0, lastLf)]) : bytes.subarray(0, lastLf)).toString('utf8'));
          carry = Buffer.from(bytes.subarray(lastLf + 1));
        }
        parse(carry.toString('utf8'));
        parsedLines = lines;
      });

    const indicatorsCommand = ocdsOversightCommands.find((command) => command.name === 'ocds indicators')!;
    let indicatorOutputBytes = 0;
    let flaggedLine = '';
    const indicators = () =>
      sampleWhile('indicators', async () => {
        const out: string[] = [];
        const code = await indicatorsCommand.run({ values: { settings: settingsFile, count: true }, positionals: [file] }, { stdout: (line) => out.push(line), stderr: () => {}, env: {}, cwd: scratch });
        if (code !== 0) throw new Error(`indicators exited ${code}`);
        indicatorOutputBytes = out.join('\n').length;
        const output = JSON.parse(out[0]!) as Record<string, Record<string, unknown>>;
        flaggedLine = Object.entries(output)
          .filter(([group]) => group !== 'Meta')
          .map(([group, ids]) => `${group}: ${Object.keys(ids).length}`)
          .join(', ');
      });

    const scenarios: TimedScenario[] = [
      { name: 'read+parse', description: 'createReadStream in 1 MiB chunks, UTF-8 decode, split on LF, JSON.parse every line: the least any JSON Lines command does', operation: `read and parse ${count.toLocaleString('en')} releases`, role: 'baseline', run: readAndParse },
      { name: 'indicators', description: 'minxin ocds indicators with the init template (all 12 indicators enabled, --count), in process: strict line splitting and UTF-8, JSON.parse, the indicators, the output', operation: `indicators over ${count.toLocaleString('en')} releases`, role: 'subject', baseline: 'read+parse', run: indicators, targets: { throughputRatio: 0.5 } },
    ];

    let compileStats: Record<string, unknown> | undefined;
    if (existsSync(COMPILE_MODULE)) {
      const compileModule = (await import(pathToFileURL(COMPILE_MODULE).href)) as { compileStream: (inputs: string[], write: (line: string) => void, options?: Record<string, unknown>) => Record<string, unknown> };
      scenarios.push({
        name: 'compile',
        description: 'ocds compile (compileStream, OCDS 1.1 rules) over the same file: one compiled release per ocid, written nowhere',
        operation: `compile ${count.toLocaleString('en')} releases`,
        role: 'subject',
        baseline: 'read+parse',
        targets: { throughputRatio: 0.5 },
        run: () =>
          sampleWhile('compile', async () => {
            let lines = 0;
            compileStats = compileModule.compileStream([file], () => lines++, { schemaVersion: '1.1' });
            compileStats = { ...compileStats, linesWritten: lines };
          }),
      });
    } else options.log('compile scenario skipped: ocds-compile.ts is absent');

    // One operation is a pass over the whole file; the results count releases
    // instead, so throughput (releases/s) and its ratio keep their digits.
    const passes = await runTimedScenarios(scenarios, options);
    const results = passes.map((scenario) => ({
      ...scenario,
      operation: `one release (passes of ${count.toLocaleString('en')}: ${scenario.operation})`,
      operations: scenario.operations * count,
      throughput: round((scenario.operations * count) / scenario.seconds, 1),
    }));
    const baselineCpu = passes[0]!;
    const perCpuSecond = (scenario: (typeof passes)[number]) => (scenario.operations * count) / (scenario.seconds * scenario.cpu.serverThread);
    const cpuNormalised = Object.fromEntries(
      passes.map((scenario) => [scenario.name, { releasesPerCpuSecond: round(perCpuSecond(scenario), 0), ratio: round(perCpuSecond(scenario) / perCpuSecond(baselineCpu), 3), secondsPerPass: round(scenario.seconds / scenario.operations, 1) }]),
    );
    return {
      setup: {
        releases: count,
        parsedLines,
        sourceReleases: sources.length,
        fileMb: round(bytes / MB, 1),
        indicatorOutputBytes,
        flagged: flaggedLine,
        compile: compileStats ?? 'absent',
        cpuNormalised,
        rssBeforeMb: round(rssBefore / MB, 0),
        peakRssMb: Object.fromEntries(Object.entries(peaks).map(([name, rss]) => [name, round(rss / MB, 0)])),
        note: 'cpuNormalised divides each scenario by the CPU share its thread got (the machine is shared, so wall-clock throughput also measures the other load); peak RSS of the whole bench process, sampled every 25 ms while each scenario ran (compileStream is synchronous, so its peak is sampled at its end only); the input file is streamed, never held',
      },
      scenarios: results,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

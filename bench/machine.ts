import { cpus, loadavg, totalmem } from 'node:os';

/**
 * The machine a benchmark ran on, written beside its figures. The load average
 * when the run started tells a run on a shared machine from a quiet one.
 */
export function machineDescription() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}

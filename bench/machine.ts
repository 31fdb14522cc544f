import { cpus, totalmem } from 'node:os';

/** The machine a benchmark ran on, written beside its figures. */
export function machineDescription() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

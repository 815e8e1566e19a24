import os from 'node:os';

/** What a benchmark result records about the machine it ran on (timings here are only comparable within one run). */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemMB: number;
  loadAverageAtStart: number[];
  node: string;
  platform: string;
}

/** The load average now, to two decimals (take it before the benchmark starts). */
export function loadAverageNow(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

/** The `machine` block of every `bench/results/*.json`. */
export function machineInfo(loadAverageAtStart: number[] = loadAverageNow()): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    loadAverageAtStart,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

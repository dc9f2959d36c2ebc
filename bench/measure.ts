/** Small timing helpers shared by the benchmarks. */
import { performance } from 'node:perf_hooks';

export interface Timing {
  median: number;
  p90: number;
  min: number;
  runs: number;
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed; returns milliseconds. */
export async function measure(fn: () => unknown, runs = 30, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)] ?? NaN,
    p90: times[Math.floor(times.length * 0.9)] ?? NaN,
    min: times[0] ?? NaN,
    runs,
  };
}

/** One aligned line: `label  value unit  (target ...)`, with a verdict word so a reader sees it at a glance. */
export function report(label: string, value: number, unit: string, target?: { max: number; text?: string }): void {
  const shown = unit === 'KB' ? value.toFixed(1) : value < 10 ? value.toFixed(2) : value.toFixed(0);
  const verdict = target ? (value <= target.max ? 'ok' : 'OVER TARGET') : '';
  const targetText = target ? `  (target <= ${target.text ?? `${target.max} ${unit}`}: ${verdict})` : '';
  console.log(`${label.padEnd(58)} ${shown.padStart(9)} ${unit}${targetText}`);
}

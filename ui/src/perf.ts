// Timing of edits: from the user's input to the recomputed screen. The samples stay in
// memory; the status bar and the end-to-end tests read their percentiles.

/** The nearest-rank percentile `p` (0–100) of `samples`; NaN when there are none. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface PerfSummary {
  n: number;
  p50: number;
  p95: number;
  last: number;
}

export class PerfLog {
  private samples: number[] = [];
  constructor(private readonly keep = 500) {}

  add(ms: number): void {
    this.samples.push(ms);
    if (this.samples.length > this.keep) this.samples.shift();
  }

  summary(): PerfSummary {
    return {
      n: this.samples.length,
      p50: percentile(this.samples, 50),
      p95: percentile(this.samples, 95),
      last: this.samples.length ? this.samples[this.samples.length - 1] : NaN,
    };
  }

  clear(): void {
    this.samples = [];
  }
}

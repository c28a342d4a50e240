/**
 * A process's memory as the kernel counts it: VmRSS (resident now) and VmHWM (the peak resident
 * size over the process's life, exact even between samples) from /proc/<pid>/status, Linux only.
 */
import { readFileSync } from 'node:fs';

export interface MemoryReading {
  /** Resident set size now, KiB. */
  rssKiB: number;
  /** Peak resident set size so far, KiB. */
  hwmKiB: number;
  /** Of rssKiB: anonymous memory (heaps, stacks) and pages mapped from files (code, shared libraries). */
  anonKiB: number;
  fileKiB: number;
}

/** Null once the process has gone (or where /proc is not there). */
export function readMemory(pid: number): MemoryReading | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]);
  const reading = {
    rssKiB: kib('VmRSS'),
    hwmKiB: kib('VmHWM'),
    anonKiB: kib('RssAnon'),
    fileKiB: kib('RssFile'),
  };
  return Number.isFinite(reading.rssKiB) && Number.isFinite(reading.hwmKiB) ? reading : null;
}

export interface MemorySampler {
  /** The largest VmRSS sampled, the last VmHWM read (the kernel's own peak), and the last reading. */
  stop(): { samples: number; maxRssKiB: number; hwmKiB: number; last: MemoryReading | null };
}

/** Reads the process's memory every `everyMs` until stopped. */
export function sampleMemory(pid: number, everyMs = 100): MemorySampler {
  let samples = 0;
  let maxRssKiB = 0;
  let hwmKiB = 0;
  let last: MemoryReading | null = null;
  const take = (): void => {
    const m = readMemory(pid);
    if (!m) return;
    samples += 1;
    maxRssKiB = Math.max(maxRssKiB, m.rssKiB);
    hwmKiB = Math.max(hwmKiB, m.hwmKiB);
    last = m;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      take();
      clearInterval(timer);
      return { samples, maxRssKiB, hwmKiB, last };
    },
  };
}

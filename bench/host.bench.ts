import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { measureHostReference } from './lib/host-reference.js';

/**
 * How fast this host is right now, and how much that moves (`bench/lib/host-reference.ts`): a fixed native-code
 * workload timed every half-second for 20 s. Run it before and after a benchmark whose absolute figures matter.
 */
const readings: number[] = [];
for (let i = 0; i < 40; i++) {
  readings.push(measureHostReference().fastestMs);
  await sleep(500);
}
const sorted = [...readings].sort((a, b) => a - b);
const fastest = sorted[0]!;
const nearFastest = readings.filter((ms) => ms <= fastest * 1.1).length;
console.log(
  `host speed, fastest of 25 repetitions of the fixed workload, every 0.5 s (load average ${loadavg()[0]!.toFixed(2)}):`,
);
console.log(`  ${readings.map((ms) => ms.toFixed(2)).join(' ')}`);
console.log(
  `  fastest ${fastest.toFixed(2)} ms, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms, slowest ` +
    `${sorted.at(-1)!.toFixed(2)} ms; within 10 % of the fastest: ${nearFastest} of ${readings.length} readings`,
);

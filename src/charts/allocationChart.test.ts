import { describe, expect, test } from 'vitest';
import { allocationChart } from './allocationChart.js';
import { chartPalette } from './chartPalette.js';

describe('allocationChart', () => {
  test('behavior: slices are the priced holdings, largest first, labelled by symbol or short address', () => {
    const config = allocationChart([
      { symbol: 'PEPE', token: '0xaa', valueUsd: '120.5' },
      { symbol: null, token: '0x1234567890abcdef1234567890abcdef12345678', valueUsd: '300' },
      { symbol: 'DEAD', token: '0xbb', valueUsd: '0' },
      { symbol: 'NOPRICE', token: '0xcc', valueUsd: null },
    ]);
    expect(config.type).toBe('doughnut');
    // Each label carries its value and share, and the title the total.
    expect(config.data.labels).toEqual(['0x1234…5678 $300.00 (71.3%)', 'PEPE $120.50 (28.7%)']);
    expect(config.options?.plugins?.title?.text).toBe('Allocation · $420.50 held');
    expect(config.data.datasets[0]?.data).toEqual([300, 120.5]);
    expect(config.data.datasets[0]?.backgroundColor).toEqual(chartPalette.slices.slice(0, 2));
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  test('behavior: beyond eight holdings the smallest are summed exactly into "Other"', () => {
    const positions = Array.from({ length: 10 }, (_, index) => ({
      symbol: `T${index}`,
      token: `0x${index}`,
      valueUsd: `${100 - index}.105`,
    }));
    const config = allocationChart(positions);
    expect(config.data.labels).toHaveLength(8);
    expect(config.data.labels?.[7]).toMatch(/^Other \(3\) \$276\.32 \(\d+\.\d%\)$/);
    // 93.105 + 92.105 + 91.105 = 276.315, drawn as 276.32 (half to even).
    expect(config.data.datasets[0]?.data[7]).toBe(276.32);
  });
});

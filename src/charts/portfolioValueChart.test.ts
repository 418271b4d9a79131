import { describe, expect, test } from 'vitest';
import { portfolioValueChart } from './portfolioValueChart.js';

describe('portfolioValueChart', () => {
  test('behavior: plots the points oldest first with UTC date labels', () => {
    const config = portfolioValueChart([
      { at: new Date('2025-05-20T10:00:00Z'), valueUsd: '1500.255' },
      { at: new Date('2025-05-01T23:30:00Z'), valueUsd: '1000' },
      { at: new Date('2025-05-10T00:00:00Z'), valueUsd: '-20.5' },
    ]);
    expect(config.type).toBe('line');
    expect(config.data.labels).toEqual(['2025-05-01', '2025-05-10', '2025-05-20']);
    // Cents are kept; the half cent rounds to even.
    expect(config.data.datasets[0]?.data).toEqual([1000, -20.5, 1500.26]);
    expect(config.options?.plugins?.title?.text).toBe('Portfolio value $1,500.26 · +$500.26 (+50.0%) over the period (UTC)');
  });

  test('behavior: straight segments between points, so the line never passes a value not held, and dollars on the axis', () => {
    const config = portfolioValueChart([
      { at: new Date('2025-05-01T00:00:00Z'), valueUsd: '100' },
      { at: new Date('2025-05-02T00:00:00Z'), valueUsd: '1000' },
      { at: new Date('2025-05-03T00:00:00Z'), valueUsd: '100' },
    ]);
    expect(config.data.datasets[0]?.tension).toBe(0);
    expect(config.options?.scales?.y?.ticks).toMatchObject({ format: { style: 'currency', currency: 'USD' } });
    expect(config.options?.plugins?.title?.text).toBe('Portfolio value $100.00 · +$0.00 (+0.0%) over the period (UTC)');
  });

  test('behavior: a span of two days or less is labelled with hours and minutes', () => {
    const config = portfolioValueChart([
      { at: new Date('2025-05-01T00:00:00Z'), valueUsd: '1' },
      { at: new Date('2025-05-02T13:45:00Z'), valueUsd: '2' },
    ]);
    expect(config.data.labels).toEqual(['05-01 00:00', '05-02 13:45']);
  });

  test('behavior: the configuration is plain JSON', () => {
    const config = portfolioValueChart([{ at: new Date('2025-05-01T00:00:00Z'), valueUsd: '1' }]);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  test('behavior: no points give an empty chart', () => {
    const config = portfolioValueChart([]);
    expect(config.data.labels).toEqual([]);
    expect(config.data.datasets[0]?.data).toEqual([]);
  });
});

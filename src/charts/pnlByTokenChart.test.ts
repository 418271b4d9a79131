import { describe, expect, test } from 'vitest';
import { chartPalette } from './chartPalette.js';
import { pnlByTokenChart } from './pnlByTokenChart.js';

describe('pnlByTokenChart', () => {
  test('behavior: each bar is green for a gain and red for a loss, realized solid and unrealized light', () => {
    const config = pnlByTokenChart([
      { symbol: 'WIN', token: '0xaa', realizedUsd: '350', unrealizedUsd: '-120.5' },
      { symbol: 'LOSS', token: '0xbb', realizedUsd: '-80', unrealizedUsd: '40' },
      { symbol: 'HELD', token: '0xcc', realizedUsd: '0', unrealizedUsd: null },
    ]);
    expect(config.type).toBe('bar');
    expect(config.data.labels).toEqual(['WIN', 'LOSS', 'HELD']);
    const [realized, unrealized] = config.data.datasets;
    expect(realized?.data).toEqual([350, -80, 0]);
    expect(realized?.backgroundColor).toEqual([chartPalette.gain, chartPalette.loss, chartPalette.gain]);
    expect(unrealized?.data).toEqual([-120.5, 40, 0]);
    expect(unrealized?.backgroundColor).toEqual([chartPalette.lossLight, chartPalette.gainLight, chartPalette.gainLight]);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  test('behavior: the twelve tokens that moved most by absolute total are shown, largest first', () => {
    const rows = Array.from({ length: 15 }, (_, index) => ({
      symbol: `T${index}`,
      token: `0x${index}`,
      realizedUsd: index % 2 === 0 ? `${index}` : `-${index}`,
      unrealizedUsd: '0',
    }));
    const config = pnlByTokenChart(rows);
    expect(config.data.labels).toHaveLength(12);
    expect(config.data.labels?.slice(0, 3)).toEqual(['T14', 'T13', 'T12']);
    expect(config.data.labels).not.toContain('T0');
  });
});

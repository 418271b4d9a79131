import { describe, expect, test } from 'vitest';
import { chartPalette } from './chartPalette.js';
import { pnlByTokenChart } from './pnlByTokenChart.js';

describe('pnlByTokenChart', () => {
  test('behavior: one stacked bar per token, centred on it, with a legend naming realized and unrealized gain and loss', () => {
    const config = pnlByTokenChart([
      { symbol: 'WIN', token: '0xaa', realizedUsd: '350', unrealizedUsd: '-120.5' },
      { symbol: 'LOSS', token: '0xbb', realizedUsd: '-80', unrealizedUsd: '40' },
      { symbol: 'HELD', token: '0xcc', realizedUsd: '0', unrealizedUsd: null },
    ]);
    expect(config.type).toBe('bar');
    expect(config.data.labels).toEqual(['WIN', 'LOSS', 'HELD']);
    expect(config.data.datasets.map((set) => [set.label, set.data, set.backgroundColor, set.stack])).toEqual([
      ['Realized gain', [350, 0, 0], chartPalette.gain, 'pnl'],
      ['Realized loss', [0, -80, 0], chartPalette.loss, 'pnl'],
      ['Unrealized gain', [0, 40, 0], chartPalette.gainLight, 'pnl'],
      ['Unrealized loss', [-120.5, 0, 0], chartPalette.lossLight, 'pnl'],
    ]);
    expect(config.options?.plugins?.legend?.display).toBe(true);
    expect(config.options?.scales?.x?.stacked).toBe(true);
    expect(config.options?.plugins?.title?.text).toBe('PnL by token · realized +$270.00 · unrealized -$80.50');
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  test('behavior: the title gives the report totals when given, and the money axis prints dollars', () => {
    const config = pnlByTokenChart([{ symbol: 'A', token: '0xaa', realizedUsd: '1', unrealizedUsd: '2' }], { realizedUsd: '1234.5', unrealizedUsd: '-0.25' });
    expect(config.options?.plugins?.title?.text).toBe('PnL by token · realized +$1,234.50 · unrealized -$0.25');
    expect(config.options?.scales?.y?.ticks).toMatchObject({ format: { style: 'currency', currency: 'USD' } });
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

import { writeFileSync } from 'node:fs';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../errors/LookoutError.js';
import { allocationChart } from './allocationChart.js';
import type { ChartConfig } from './ChartConfig.js';
import { chartPalette } from './chartPalette.js';
import { createLocalChartRenderer } from './createLocalChartRenderer.js';
import { pnlByTokenChart } from './pnlByTokenChart.js';
import { portfolioValueChart } from './portfolioValueChart.js';

const renderer = createLocalChartRenderer();
const SIZE = { width: 640, height: 360 };

/** Width and height from the IHDR chunk, which every PNG starts with. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

type Pixels = { width: number; height: number; at(x: number, y: number): [number, number, number, number] };

async function pixels(png: Buffer): Promise<Pixels> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  return {
    width: image.width,
    height: image.height,
    at: (x, y) => {
      const i = (y * image.width + x) * 4;
      return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    },
  };
}

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** Where the pixels of exactly this colour are: their count and mean row. */
function colourStats(image: Pixels, hex: string, fromX = 0): { count: number; meanY: number } {
  const [r, g, b] = hexToRgb(hex);
  let count = 0;
  let sumY = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = fromX; x < image.width; x++) {
      const [pr, pg, pb] = image.at(x, y);
      if (pr === r && pg === g && pb === b) {
        count++;
        sumY += y;
      }
    }
  }
  return { count, meanY: count === 0 ? Number.NaN : sumY / count };
}

describe('createLocalChartRenderer', () => {
  const charts: [string, ChartConfig][] = [
    ['line', portfolioValueChart([{ at: new Date('2025-05-01T00:00:00Z'), valueUsd: '1' }, { at: new Date('2025-05-09T00:00:00Z'), valueUsd: '3' }])],
    ['doughnut', allocationChart([{ symbol: 'ETH', token: 'native', valueUsd: '10' }])],
    ['bar', pnlByTokenChart([{ symbol: 'TOK', token: '0xaa', realizedUsd: '5', unrealizedUsd: '-2' }])],
  ];

  test.each(charts)('behavior: renders a %s chart as a PNG of the requested size on a white background', async (_, config) => {
    const png = await renderer.renderChart(config, SIZE);
    expect(pngSize(png)).toEqual(SIZE);
    const image = await pixels(png);
    expect(image.at(0, 0)).toEqual([255, 255, 255, 255]);
    expect(image.at(SIZE.width - 1, SIZE.height - 1)).toEqual([255, 255, 255, 255]);
  });

  test('behavior: the line rises or falls with the values', async () => {
    const line = (values: string[]) =>
      portfolioValueChart(values.map((valueUsd, day) => ({ at: new Date(Date.UTC(2025, 4, 1 + day)), valueUsd })));
    const rising = await pixels(await renderer.renderChart(line(['100', '200', '300', '400', '500']), SIZE));
    const falling = await pixels(await renderer.renderChart(line(['500', '400', '300', '200', '100']), SIZE));
    // The rightmost fifth holds the newest values: high on the rising chart, low on the falling one.
    const right = Math.floor(SIZE.width * 0.8);
    const risingEnd = colourStats(rising, chartPalette.line, right);
    const fallingEnd = colourStats(falling, chartPalette.line, right);
    expect(risingEnd.count).toBeGreaterThan(20);
    expect(fallingEnd.count).toBeGreaterThan(20);
    expect(risingEnd.meanY).toBeLessThan(SIZE.height / 2);
    expect(fallingEnd.meanY).toBeGreaterThan(SIZE.height / 2);
  });

  test('behavior: a doughnut draws one coloured slice per holding', async () => {
    const one = await pixels(await renderer.renderChart(allocationChart([{ symbol: 'A', token: 'a', valueUsd: '10' }]), SIZE));
    const two = await pixels(
      await renderer.renderChart(
        allocationChart([
          { symbol: 'A', token: 'a', valueUsd: '10' },
          { symbol: 'B', token: 'b', valueUsd: '10' },
        ]),
        SIZE,
      ),
    );
    const [first, second] = chartPalette.slices;
    // The legend box alone is a few hundred pixels; a slice is thousands.
    expect(colourStats(one, second).count).toBe(0);
    expect(colourStats(two, second).count).toBeGreaterThan(2000);
    expect(colourStats(one, first).count).toBeGreaterThan(colourStats(two, first).count * 1.5);
  });

  test('behavior: a gain is drawn as a green bar above a red bar for a loss', async () => {
    const image = await pixels(
      await renderer.renderChart(
        pnlByTokenChart([
          { symbol: 'UP', token: 'a', realizedUsd: '100', unrealizedUsd: null },
          { symbol: 'DOWN', token: 'b', realizedUsd: '-100', unrealizedUsd: null },
        ]),
        SIZE,
      ),
    );
    const green = colourStats(image, chartPalette.gain);
    const red = colourStats(image, chartPalette.loss);
    expect(green.count).toBeGreaterThan(2000);
    expect(red.count).toBeGreaterThan(2000);
    expect(green.meanY).toBeLessThan(red.meanY);
    const onlyGains = await pixels(await renderer.renderChart(pnlByTokenChart([{ symbol: 'UP', token: 'a', realizedUsd: '100', unrealizedUsd: '5' }]), SIZE));
    expect(colourStats(onlyGains, chartPalette.loss).count).toBe(0);
    expect(colourStats(onlyGains, chartPalette.gainLight).count).toBeGreaterThan(0);
  });

  test('behavior: rendering leaves the caller configuration untouched', async () => {
    const config = pnlByTokenChart([{ symbol: 'TOK', token: '0xaa', realizedUsd: '5', unrealizedUsd: '-2' }]);
    const before = JSON.stringify(config);
    await renderer.renderChart(config, SIZE);
    expect(JSON.stringify(config)).toBe(before);
  });

  test('behavior: writes a sample PNG for people to look at', async () => {
    const png = await renderer.renderChart(
      pnlByTokenChart([
        { symbol: 'PEPE', token: '0xaa', realizedUsd: '350', unrealizedUsd: '-120.5' },
        { symbol: null, token: '0x1234567890abcdef1234567890abcdef12345678', realizedUsd: '-80', unrealizedUsd: '40' },
        { symbol: 'BONK', token: 'DezX', realizedUsd: '12.5', unrealizedUsd: '60' },
      ]),
      { width: 800, height: 400 },
    );
    writeFileSync('/tmp/lookout-chart-sample.png', png);
    expect(pngSize(png)).toEqual({ width: 800, height: 400 });
  });

  test('error: rejects a size that is not a positive integer', async () => {
    const [, config] = charts[0]!;
    await expect(renderer.renderChart(config, { width: 0, height: 100 })).rejects.toThrow(RangeError);
    await expect(renderer.renderChart(config, { width: 100.5, height: 100 })).rejects.toThrow(RangeError);
  });

  test('error: a font file that cannot be loaded is a configuration error', () => {
    expect(() => createLocalChartRenderer({ fontPath: '/nonexistent/lookout-font.ttf' })).toThrow(ConfigError);
  });
});

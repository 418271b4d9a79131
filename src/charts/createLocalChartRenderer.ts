import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type ChartItem, type Plugin } from 'chart.js';
import { ConfigError } from '../errors/LookoutError.js';
import type { ChartConfig, ChartSize } from './ChartConfig.js';
import type { ChartRenderer } from './ChartRenderer.js';

/** Options of the in-process renderer. */
export type LocalChartRendererOptions = {
  /**
   * A .ttf or .otf file to draw all text with, so charts look the same on every machine.
   * Without it the system fonts that @napi-rs/canvas finds are used; no font ships in
   * node_modules, and a machine without any font draws charts without text.
   */
  fontPath?: string;
};

const FONT_FAMILY = 'Lookout Chart Sans';
const MAX_SIDE = 4096;

// Chart.js draws on a transparent canvas; chat clients show PNGs on dark themes too.
const whiteBackground: Plugin = {
  id: 'lookoutWhiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

function assertSize({ width, height }: ChartSize): void {
  for (const side of [width, height]) {
    if (!Number.isInteger(side) || side < 1 || side > MAX_SIDE) {
      throw new RangeError(`chart width and height must be integers from 1 to ${MAX_SIDE}, got ${width}x${height}`);
    }
  }
}

/** A renderer that draws charts in process with Chart.js on a Skia canvas, without network. */
export function createLocalChartRenderer(options: LocalChartRendererOptions = {}): ChartRenderer {
  // Note: registering is global to the chart.js module and idempotent.
  Chart.register(...registerables);
  if (options.fontPath !== undefined && !GlobalFonts.registerFromPath(options.fontPath, FONT_FAMILY)) {
    throw new ConfigError('The chart font could not be loaded: give the path of a .ttf or .otf file.', {
      details: `font_path=${options.fontPath}`,
    });
  }
  const font = options.fontPath === undefined ? undefined : { family: FONT_FAMILY };

  return {
    async renderChart(config: ChartConfig, size: ChartSize): Promise<Buffer> {
      assertSize(size);
      const canvas = createCanvas(size.width, size.height);
      // Chart.js writes into the configuration it is given; the caller's stays untouched.
      const copy = structuredClone(config) as ChartConfiguration;
      // The Skia canvas implements the part of the canvas API that Chart.js uses off the DOM.
      const chart = new Chart(canvas as unknown as ChartItem, {
        ...copy,
        options: { ...copy.options, ...(font && { font }), responsive: false, animation: false, devicePixelRatio: 1 },
        plugins: [whiteBackground],
      });
      try {
        return await canvas.encode('png');
      } finally {
        chart.destroy();
      }
    },
  };
}

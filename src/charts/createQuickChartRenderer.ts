import quickChartModule from 'quickchart-js';
import { ConfigError, LookoutError, RetryableError } from '../errors/LookoutError.js';
import type { ChartConfig, ChartSize } from './ChartConfig.js';
import type { ChartRenderer } from './ChartRenderer.js';

/** Where the QuickChart server is, and the API key it wants (if any). */
export type QuickChartRendererOptions = { url: string; key?: string | null };

// The package's types describe its CommonJS build, but Node loads its ES module build, whose
// default export is the client class itself.
const QuickChart = quickChartModule as unknown as typeof quickChartModule.default;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const USER_MESSAGE = 'The chart could not be drawn right now.';

function parseServerUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ConfigError('The QuickChart URL is not a URL: give one like https://quickchart.io.', { cause });
  }
  // The client builds `${scheme}://${host}/chart` and would silently drop a path or a query.
  if (!['http:', 'https:'].includes(parsed.protocol) || parsed.pathname !== '/' || parsed.search !== '') {
    throw new ConfigError('The QuickChart URL must be http(s)://host[:port] without a path.', { details: `host=${parsed.host}` });
  }
  return parsed;
}

/** The HTTP status in the error the client throws for a failed response; this adapter is the one place that reads it. */
function statusOf(error: unknown): number | null {
  const match = error instanceof Error ? /status code (\d{3})/.exec(error.message) : null;
  return match ? Number(match[1]) : null;
}

/** A renderer that sends Chart.js v4 configurations to a QuickChart server and returns its PNG. */
export function createQuickChartRenderer(options: QuickChartRendererOptions): ChartRenderer {
  const server = parseServerUrl(options.url);
  const host = server.host;

  return {
    async renderChart(config: ChartConfig, size: ChartSize): Promise<Buffer> {
      // A fresh client per chart: the client keeps the configuration and size as state.
      const client = new QuickChart(options.key ?? undefined)
        .setHost(host)
        .setScheme(server.protocol.slice(0, -1))
        .setVersion('4')
        .setWidth(size.width)
        .setHeight(size.height)
        .setDevicePixelRatio(1)
        .setBackgroundColor('#ffffff')
        .setFormat('png')
        // The configuration is plain JSON, and JSON is valid JavaScript for the server.
        .setConfig(JSON.stringify(config));
      let image: Buffer;
      try {
        image = await client.toBinary();
      } catch (cause) {
        const status = statusOf(cause);
        const details = `quickchart_host=${host} status=${status ?? 'none'}`;
        // 4xx other than rate limiting means the configuration or key is wrong: retrying will not help.
        if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) {
          throw new LookoutError(USER_MESSAGE, { action: 'stop', details, cause });
        }
        throw new RetryableError(USER_MESSAGE, { details, cause });
      }
      if (!image.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
        throw new LookoutError(USER_MESSAGE, { action: 'stop', details: `quickchart_host=${host} answered without a PNG` });
      }
      return image;
    },
  };
}

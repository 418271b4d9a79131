import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../config/loadConfig.js';
import { createChatLimiter } from './createChatLimiter.js';

describe('createChatLimiter', () => {
  it('behavior: a member over the command limit is refused once, then quietly, until the minute is over', () => {
    let now = 1_000_000;
    const limiter = createChatLimiter({ ...DEFAULT_LIMITS, commandsPerMemberPerMinute: 3 }, () => now);
    const verdicts = Array.from({ length: 6 }, () => limiter.command('telegram:1', 'telegram:7').kind);
    expect(verdicts).toEqual(['allow', 'allow', 'allow', 'refuse', 'quiet', 'quiet']);
    expect(limiter.command('telegram:1', 'telegram:8').kind).toBe('allow');
    expect(limiter.command('telegram:2', 'telegram:7').kind).toBe('allow');
    now += 60_000;
    expect(limiter.command('telegram:1', 'telegram:7').kind).toBe('allow');
  });

  it('behavior: charts are counted per workspace, and the refusal says how long to wait', () => {
    let now = 0;
    const limiter = createChatLimiter({ ...DEFAULT_LIMITS, chartsPerWorkspacePerMinute: 2 }, () => now);
    limiter.chart('discord:1');
    now += 15_000;
    limiter.chart('discord:1');
    const refused = limiter.chart('discord:1');
    expect(refused).toEqual({
      kind: 'refuse',
      message: 'This chat has had 2 charts in a minute, the most allowed; answers come without a chart for the next 45 s.',
    });
    expect(limiter.chart('discord:2').kind).toBe('allow');
  });
});

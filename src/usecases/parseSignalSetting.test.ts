import { describe, expect, it } from 'vitest';
import { formatWindow, parseSignalSetting } from './parseSignalSetting.js';

describe('parseSignalSetting', () => {
  it('behavior: reads wallets and window, and off', () => {
    expect(parseSignalSetting('3/1h')).toEqual({ minWallets: 3, windowSeconds: 3_600 });
    expect(parseSignalSetting(' 5 / 30m ')).toEqual({ minWallets: 5, windowSeconds: 1_800 });
    expect(parseSignalSetting('2/90s')).toEqual({ minWallets: 2, windowSeconds: 90 });
    expect(parseSignalSetting('OFF')).toBeNull();
  });

  it('error: refuses one wallet, a window over a week, and words', () => {
    expect(() => parseSignalSetting('1/1h')).toThrow(/between 2 and 100 wallets, not 1/);
    expect(() => parseSignalSetting('3/8d')).toThrow(/from 1s to 7d/);
    expect(() => parseSignalSetting('three')).toThrow(/'three' is not a signal setting; write how many wallets within how long, such as 3\/1h/);
  });

  it('behavior: writes windows as people do', () => {
    expect(formatWindow(3_600)).toBe('1h');
    expect(formatWindow(5_400)).toBe('1h30m');
    expect(formatWindow(86_400 + 60)).toBe('1d1m');
  });
});

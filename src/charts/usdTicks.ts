/**
 * Tick options that print `$` amounts on a money axis. Chart.js formats ticks with Intl.NumberFormat options,
 * which are plain JSON, so the same configuration works in process and on a QuickChart server.
 */
export const usdTicks = { format: { style: 'currency', currency: 'USD' } } as const;

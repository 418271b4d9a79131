/** Colours shared by the chart builders, readable on the white background every renderer draws. */
export const chartPalette = {
  line: '#2563eb',
  lineFill: 'rgba(37, 99, 235, 0.15)',
  gain: '#16a34a',
  loss: '#dc2626',
  gainLight: '#86efac',
  lossLight: '#fca5a5',
  text: '#111827',
  slices: ['#2563eb', '#f59e0b', '#10b981', '#8b5cf6', '#ef4444', '#06b6d4', '#ec4899', '#84cc16', '#9ca3af'],
} as const;

/** How a webhook is shown once saved: its host and path, never its query (which may carry a token). */
export function webhookName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol === 'http:' ? 'http://' : ''}${parsed.host}${parsed.pathname}`;
}

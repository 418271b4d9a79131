import { UserInputError } from '../errors/LookoutError.js';
import { checkWebhookUrl } from './checkWebhookUrl.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** The webhook of a new route, checked: a public http(s) URL (unless private ones are allowed) and a usable secret. */
export async function webhookRoute(deps: Pick<UseCaseDeps, 'config'>, input: { url: string; secret: string }): Promise<{ url: string; secret: string }> {
  if (!/^[\x21-\x7e]{16,200}$/.test(input.secret)) {
    throw new UserInputError('A webhook secret is 16 to 200 printable characters without spaces; make one with openssl rand -hex 32.');
  }
  const url = await checkWebhookUrl(input.url, { allowPrivate: deps.config.webhooks.allowPrivate });
  return { url: url.href, secret: input.secret };
}

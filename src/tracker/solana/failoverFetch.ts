/**
 * A `fetch` for web3.js's Connection that sends each request to the first of several RPC URLs that
 * answers: a network error, a 429 or a 5xx moves on to the next URL, and the one that answered is
 * tried first next time. The Connection is built on the first URL; requests to it are redirected.
 */
export function failoverFetch(urls: string[], baseFetch: typeof fetch = fetch): typeof fetch {
  let preferred = 0;
  return async (input, init) => {
    const requested = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    if (urls.length < 2 || !requested.startsWith(urls[0]!)) return baseFetch(input, init);
    const path = requested.slice(urls[0]!.length);
    let last: Response | undefined;
    let lastError: unknown;
    for (let offset = 0; offset < urls.length; offset++) {
      const index = (preferred + offset) % urls.length;
      try {
        const response = await baseFetch(`${urls[index]}${path}`, init);
        if (response.status !== 429 && response.status < 500) {
          preferred = index;
          return response;
        }
        last = response;
      } catch (error) {
        lastError = error;
      }
    }
    if (last) return last;
    throw lastError;
  };
}

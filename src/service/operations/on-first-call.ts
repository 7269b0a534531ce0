/**
 * An async operation whose module is imported on its first call: `onFirstCall(async () => (await
 * import('./read-photo.js')).readPhoto)` has readPhoto's type and behaviour, without loading
 * read-photo.js (and what it imports) until a caller needs it. Concurrent first calls share one
 * import; later calls go straight to the loaded function (no extra hop). A failed import is not
 * kept: the next call tries again.
 */
export function onFirstCall<A extends unknown[], R>(load: () => Promise<(...args: A) => Promise<R>>): (...args: A) => Promise<R> {
  let loaded: ((...args: A) => Promise<R>) | undefined;
  let loading: Promise<(...args: A) => Promise<R>> | undefined;
  return (...args: A) => {
    if (loaded) return loaded(...args);
    loading ??= load().then(
      (fn) => (loaded = fn),
      (e: unknown) => {
        loading = undefined;
        throw e;
      },
    );
    return loading.then((fn) => fn(...args));
  };
}

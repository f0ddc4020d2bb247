import { useEffect, useEffectEvent } from 'react';

/** How often notifications are fetched again while the tab is in view. */
export const POLL_INTERVAL_MS = 30_000;

/**
 * Calls `poll` every `intervalMs` while the tab is visible (no websocket). A hidden tab stops
 * asking; when it comes back into view it asks at once and then keeps to the interval again.
 */
export function useVisiblePolling(poll: () => void, intervalMs = POLL_INTERVAL_MS): void {
  const run = useEffectEvent(poll);
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const stop = () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    };
    const start = () => {
      stop();
      timer = setInterval(() => run(), intervalMs);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        run();
        start();
      } else {
        stop();
      }
    };
    if (document.visibilityState === 'visible') start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [intervalMs]);
}

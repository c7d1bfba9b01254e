import { useEffect, useState } from 'react';
import { formatDuration, formatTime, useI18n } from '../../i18n';

/** Elapsed time since the call was answered (re-renders only itself, once a second). */
export function CallTimer({ answeredAt }: { answeredAt: string | null }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!answeredAt) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [answeredAt]);
  if (!answeredAt) {
    return (
      <div className="ct-timer ct-timer--idle">
        <span className="ct-timer__label">{t('callTaker.timer')}</span>
        <span>{t('callTaker.timerIdle')}</span>
      </div>
    );
  }
  const seconds = Math.max(0, (now - new Date(answeredAt).getTime()) / 1000);
  return (
    <div className="ct-timer" data-testid="call-timer">
      <span className="ct-timer__label">{t('callTaker.timer')}</span>
      {/* The running clock is not a live region: announcing every second would drown the screen reader. */}
      <span className="ct-timer__value mono">{formatDuration(seconds)}</span>
      <span className="ct-timer__since">
        {t('callTaker.answeredAt', { time: formatTime(answeredAt, undefined, true) })}
      </span>
    </div>
  );
}

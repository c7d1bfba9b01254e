import { useI18n } from '../../i18n';
import { useLiveState } from '../../realtime';

const LABEL = {
  idle: 'live.offline',
  connecting: 'live.connecting',
  open: 'live.connected',
  reconnecting: 'live.reconnecting',
} as const;

/** Shows whether live updates flow (only meaningful while a screen listens). */
export function LiveBadge() {
  const { t } = useI18n();
  const state = useLiveState();
  if (state === 'idle') return null;
  return (
    <span className="live-badge" data-state={state} role="status">
      {t(LABEL[state])}
    </span>
  );
}

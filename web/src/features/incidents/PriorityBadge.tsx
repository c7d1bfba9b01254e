import { useI18n } from '../../i18n';
import './incidents.css';
import './incidents.messages';

/** Priority chip: colour plus the number and its meaning as text (never colour alone). */
export function PriorityBadge({ priority, long = false }: { priority: number | null; long?: boolean }) {
  const { t } = useI18n();
  if (priority === null)
    return <span className="inc-badge inc-priority--none">{t('incidents.priority.none')}</span>;
  return (
    <span className={`inc-badge inc-priority--${priority}`}>
      {long ? t(`incidents.priority.${priority}`) : t('incidents.priority.short', { priority })}
    </span>
  );
}

export function StatusBadge({ status, name }: { status: string; name?: string | null }) {
  const { t } = useI18n();
  return (
    <span className={`inc-badge inc-status inc-status--${status}`}>
      {name ?? t(`incidents.status.${status}`)}
    </span>
  );
}

import { formatDuration, useI18n } from '../../i18n';
import './dispatch-feature.css';
import './dispatch-feature.messages';
import type { ResponseTimer } from './timers';
import type { UnitStatus } from './types';

/** Priority chip: colour plus the number as text (never colour alone). */
export function PriorityBadge({ priority }: { priority: number | null }) {
  const { t } = useI18n();
  if (priority === null) {
    return <span className="dx-badge dx-priority dx-priority--none">{t('dispatchx.priority.none')}</span>;
  }
  return (
    <span
      className={`dx-badge dx-priority dx-priority--${priority}`}
      title={t(`dispatchx.priority.${priority}`)}
    >
      <span aria-hidden="true">{t('dispatchx.priority.short', { priority })}</span>
      <span className="visually-hidden">{t('dispatchx.priority', { priority })}</span>
    </span>
  );
}

export function UnitStatusBadge({ status }: { status: UnitStatus }) {
  const { t } = useI18n();
  return <span className={`dx-badge dx-unit dx-unit--${status}`}>{t(`dispatchx.unitStatus.${status}`)}</span>;
}

/** Elapsed time against the target of the current stage; amber from 75 %, red when late. */
export function TimerBadge({ timer }: { timer: ResponseTimer }) {
  const { t } = useI18n();
  if (timer.stage === null) {
    return (
      <span className={`dx-timer dx-timer--${timer.level === 'late' ? 'late' : 'done'}`}>
        {t('dispatchx.timer.arrived', { time: formatDuration(timer.elapsedSeconds) })}
      </span>
    );
  }
  const stage = t(`dispatchx.timer.${timer.stage}`);
  const elapsed = formatDuration(timer.elapsedSeconds);
  const label =
    timer.targetSeconds === null
      ? t('dispatchx.timer.labelNoTarget', { stage, elapsed })
      : t('dispatchx.timer.label', {
          stage,
          elapsed,
          target: formatDuration(timer.targetSeconds),
          state: t(`dispatchx.timer.${timer.level}`),
        });
  return (
    <span className={`dx-timer dx-timer--${timer.level}`} data-level={timer.level} title={label}>
      <span aria-hidden="true">
        {stage} <span className="mono">{elapsed}</span>
        {timer.level === 'warn' || timer.level === 'late' ? ` · ${t(`dispatchx.timer.${timer.level}`)}` : ''}
      </span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

import { type KeyboardEvent, useEffect, useRef } from 'react';
import { PriorityBadge, TimerBadge } from '../../features/dispatch/badges';
import { responseTimer, type TargetsByPriority } from '../../features/dispatch/timers';
import type { Incident } from '../../features/dispatch/types';
import { formatRelative, useI18n } from '../../i18n';

export interface IncidentQueueProps {
  incidents: readonly Incident[];
  targets: TargetsByPriority;
  now: number;
  activeId: string | null;
  openedId: string | null;
  onActivate: (id: string) => void;
  onOpen: (id: string) => void;
  /** Keyboard "A": assign the top recommendation of the active incident (asks for confirmation). */
  onAssignTop?: (id: string) => void;
}

const optionId = (id: string) => `dx-queue-${id}`;

/**
 * The pending queue as a listbox: ↑/↓ (and Home/End) move, Enter opens, A assigns the top
 * recommendation. Focus stays on the list (aria-activedescendant), so screen readers follow it.
 */
export function IncidentQueue({
  incidents,
  targets,
  now,
  activeId,
  openedId,
  onActivate,
  onOpen,
  onAssignTop,
}: IncidentQueueProps) {
  const { t } = useI18n();
  const listRef = useRef<HTMLDivElement>(null);
  const activeIndex = Math.max(
    0,
    incidents.findIndex((i) => i.id === activeId),
  );
  const active = incidents[activeIndex] ?? null;

  useEffect(() => {
    if (!active) return;
    const element = document.getElementById(optionId(active.id));
    element?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (incidents.length === 0) return;
    const move = (index: number) => {
      const next = incidents[Math.min(incidents.length - 1, Math.max(0, index))];
      if (next) onActivate(next.id);
    };
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        move(activeIndex + 1);
        return;
      case 'ArrowUp':
        event.preventDefault();
        move(activeIndex - 1);
        return;
      case 'Home':
        event.preventDefault();
        move(0);
        return;
      case 'End':
        event.preventDefault();
        move(incidents.length - 1);
        return;
      case 'Enter':
      case ' ':
        event.preventDefault();
        if (active) onOpen(active.id);
        return;
      case 'a':
      case 'A':
        if (event.ctrlKey || event.metaKey || event.altKey || !onAssignTop || !active) return;
        event.preventDefault();
        event.stopPropagation();
        onAssignTop(active.id);
        return;
      default:
        return;
    }
  };

  return (
    <div
      ref={listRef}
      className="dx-queue"
      role="listbox"
      tabIndex={0}
      aria-label={t('dispatch.queue.label', { count: incidents.length })}
      aria-describedby="dx-queue-help"
      aria-activedescendant={active ? optionId(active.id) : undefined}
      onKeyDown={onKeyDown}
    >
      {incidents.map((incident) => {
        const timer = responseTimer(incident, targets, now);
        const classes = [
          'dx-queue__item',
          incident.id === active?.id ? 'is-active' : '',
          incident.id === openedId ? 'is-open' : '',
          `dx-queue__item--${timer.level}`,
        ]
          .filter(Boolean)
          .join(' ');
        return (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keyboard for its options
          <div
            key={incident.id}
            id={optionId(incident.id)}
            role="option"
            tabIndex={-1}
            aria-selected={incident.id === openedId}
            className={classes}
            data-incident-id={incident.id}
            onClick={() => {
              onActivate(incident.id);
              onOpen(incident.id);
              listRef.current?.focus();
            }}
          >
            <div className="dx-queue__row">
              <PriorityBadge priority={incident.priority} />
              <strong className="mono">{incident.folio}</strong>
              <span className="dx-queue__status">{incident.statusName}</span>
            </div>
            <div className="dx-queue__row">
              <span className="dx-queue__type">{incident.typeName ?? incident.summary}</span>
            </div>
            <div className="dx-queue__row dx-queue__meta">
              <TimerBadge timer={timer} />
              <span className="muted">
                {incident.location.districtName ?? incident.location.text ?? ''}
                {' · '}
                {formatRelative(incident.times.createdAt, new Date(now))}
              </span>
            </div>
          </div>
        );
      })}
    </div>
  );
}

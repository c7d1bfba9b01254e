import { type FormEvent, useRef, useState } from 'react';
import { api, toApiError, unwrap } from '../../api';
import { type Note, newIdempotencyKey } from '../../features/incidents';
import { formatDateTime, useI18n } from '../../i18n';
import { hasMessage } from '../../i18n/catalog';
import { Button, Empty, ErrorState, TextArea, useAction, useToast } from '../../ui';
import { actorName } from './Timeline';

const NOTE_FORM_TEXT = 'inc-note-text';

/**
 * Narrative and notes, append-only: "Corregir" adds a correction that references the note; a corrected
 * note stays visible, struck through, with a link to its correction.
 */
export function Notes({
  incidentId,
  notes,
  canAdd,
  onAdded,
}: {
  incidentId: string;
  notes: readonly Note[];
  canAdd: boolean;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [text, setText] = useState('');
  const [correcting, setCorrecting] = useState<Note | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = useRef(newIdempotencyKey('note'));
  const byId = new Map(notes.map((n) => [n.id, n]));

  const add = useAction(async (body: { text: string; corrects?: string }) => {
    try {
      const answer = await unwrap(
        api.POST('/api/v1/incidents/{id}/notes', {
          params: { path: { id: incidentId } },
          body,
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      key.current = newIdempotencyKey('note');
      return answer;
    } catch (err) {
      const status = toApiError(err).status;
      if (status >= 400 && status < 500) key.current = newIdempotencyKey('note');
      throw err;
    }
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      setError(t('incident.notes.required'));
      document.getElementById(NOTE_FORM_TEXT)?.focus();
      return;
    }
    const done = await add.run({ text: text.trim(), ...(correcting ? { corrects: correcting.id } : {}) });
    if (!done) return;
    setText('');
    setCorrecting(null);
    toast.show(t('incident.notes.added'), 'success');
    onAdded();
  };

  const startCorrection = (note: Note) => {
    setCorrecting(note);
    setText(note.text);
    setError(null);
    window.setTimeout(() => document.getElementById(NOTE_FORM_TEXT)?.focus(), 0);
  };

  const kind = (k: string) => (hasMessage(`incident.notes.kind.${k}`) ? t(`incident.notes.kind.${k}`) : k);

  return (
    <div className="stack">
      <p className="muted inc-small">{t('incident.notes.intro')}</p>
      {notes.length === 0 ? (
        <Empty>{t('incident.notes.empty')}</Empty>
      ) : (
        <ol className="inc-notes" data-testid="notes">
          {notes.map((note) => {
            const corrected = note.correctedBy !== null;
            const author = actorName(t, note.author);
            const time = formatDateTime(note.at);
            return (
              <li
                key={note.id}
                id={`note-${note.id}`}
                className={corrected ? 'inc-note is-corrected' : 'inc-note'}
              >
                <div className="inc-note__meta">
                  <strong>{kind(note.kind)}</strong> · {author} ·{' '}
                  <time dateTime={note.at} className="mono">
                    {time}
                  </time>
                </div>
                {corrected ? (
                  <>
                    <span className="visually-hidden">{t('incident.notes.correctedSr')}</span>
                    <del className="inc-note__text">{note.text}</del>
                    <a href={`#note-${note.correctedBy}`} className="inc-note__link">
                      {t('incident.notes.corrected')}
                    </a>
                  </>
                ) : (
                  <p className="inc-note__text">{note.text}</p>
                )}
                {note.corrects && byId.has(note.corrects) ? (
                  <a href={`#note-${note.corrects}`} className="inc-note__link">
                    {t('incident.notes.corrects')}
                  </a>
                ) : null}
                {canAdd && !corrected ? (
                  <div>
                    <Button
                      variant="ghost"
                      aria-label={`${t('incident.notes.correct')}: ${t('incident.notes.correctLabel', { author, time })}`}
                      onClick={() => startCorrection(note)}
                    >
                      {t('incident.notes.correct')}
                    </Button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      {canAdd ? (
        <form className="stack inc-note-form" onSubmit={submit} noValidate>
          {correcting ? (
            <p className="alert alert--info">
              {t('incident.notes.correcting', {
                author: actorName(t, correcting.author),
                time: formatDateTime(correcting.at),
                text: correcting.text.length > 140 ? `${correcting.text.slice(0, 140)}…` : correcting.text,
              })}
            </p>
          ) : null}
          <TextArea
            id={NOTE_FORM_TEXT}
            label={correcting ? t('incident.notes.correctionText') : t('incident.notes.add')}
            rows={3}
            maxLength={10_000}
            required
            value={text}
            error={error}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          {add.error ? <ErrorState error={add.error} /> : null}
          <div className="row">
            <Button type="submit" busy={add.busy}>
              {correcting ? t('incident.notes.submitCorrection') : t('incident.notes.submit')}
            </Button>
            {correcting ? (
              <Button
                variant="ghost"
                onClick={() => {
                  setCorrecting(null);
                  setText('');
                }}
              >
                {t('incident.notes.cancelCorrection')}
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
    </div>
  );
}

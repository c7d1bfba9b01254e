import { type ChangeEvent, useId, useState } from 'react';
import { type PreparedPhoto, photoDataUrl, preparePhoto } from '../../features/phone';
import { useI18n } from '../../i18n';
import { Button } from '../../ui';

export const MAX_CITIZEN_PHOTOS = 3;

/** Up to three photos, each reduced to ≤ 1600 px JPEG before upload, with previews and removal. */
export function PhotoPicker({
  photos,
  onChange,
  error,
}: {
  photos: readonly PreparedPhoto[];
  onChange: (photos: PreparedPhoto[]) => void;
  error?: string | null;
}) {
  const { t } = useI18n();
  const id = useId();
  const [preparing, setPreparing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const room = MAX_CITIZEN_PHOTOS - photos.length;
  const message = problem ?? error ?? null;

  const onFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    if (files.length === 0) return;
    setProblem(null);
    const accepted = files.slice(0, room);
    setPreparing(true);
    const prepared: PreparedPhoto[] = [];
    let unreadable = 0;
    for (const file of accepted) {
      try {
        prepared.push(await preparePhoto(file));
      } catch {
        unreadable += 1;
      }
    }
    setPreparing(false);
    onChange([...photos, ...prepared]);
    if (files.length > accepted.length) setProblem(t('citizen.photos.tooMany', { max: MAX_CITIZEN_PHOTOS }));
    else if (unreadable > 0) setProblem(t('citizen.photos.unreadable'));
  };

  return (
    <fieldset className="citizen-fieldset">
      <legend className="field__label">{t('citizen.photos.legend')}</legend>
      <p id={`${id}-hint`} className="field__hint">
        {t('citizen.photos.hint', { max: MAX_CITIZEN_PHOTOS })}
      </p>
      {photos.length > 0 ? (
        <ul className="citizen-photos">
          {photos.map((photo, index) => (
            <li key={photo.id}>
              <img
                src={photoDataUrl(photo)}
                alt={t('citizen.photos.alt', { n: index + 1 })}
                width={photo.width}
                height={photo.height}
              />
              <Button variant="secondary" onClick={() => onChange(photos.filter((_, i) => i !== index))}>
                {t('citizen.photos.remove', { n: index + 1 })}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      {room > 0 ? (
        <div>
          <label htmlFor={id} className="btn btn--secondary btn--large citizen-file">
            {photos.length === 0 ? t('citizen.photos.add') : t('citizen.photos.addMore')}
          </label>
          <input
            id={id}
            className="visually-hidden citizen-file__input"
            type="file"
            accept="image/*"
            multiple
            aria-describedby={`${id}-hint${message ? ` ${id}-error` : ''}`}
            onChange={onFiles}
          />
        </div>
      ) : null}
      {preparing ? (
        <p role="status" className="muted">
          {t('citizen.photos.preparing')}
        </p>
      ) : null}
      {message ? (
        <span id={`${id}-error`} className="field__error" role="alert">
          {message}
        </span>
      ) : null}
    </fieldset>
  );
}

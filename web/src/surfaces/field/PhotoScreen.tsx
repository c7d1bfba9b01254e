import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { type PreparedPhoto, photoDataUrl, preparePhoto } from '../../features/phone';
import { formatNumber, useI18n } from '../../i18n';
import { Alert, Button, Empty, Loading, TextArea, useToast } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { useField } from './FieldContext';

interface Fix {
  lon: number;
  lat: number;
  accuracy: number;
}

/** One GPS reading for the photo (where the evidence was collected); null when not available. */
function currentFix(): Promise<Fix | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (position) =>
        resolve({
          lon: Math.round(position.coords.longitude * 1e6) / 1e6,
          lat: Math.round(position.coords.latitude * 1e6) / 1e6,
          accuracy: position.coords.accuracy,
        }),
      () => resolve(null),
      { enableHighAccuracy: true, maximumAge: 30_000, timeout: 15_000 },
    );
  });
}

/** Evidence photo: taken with the camera, reduced to ≤ 1600 px, stamped with time and GPS. */
export function PhotoScreen() {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const field = useField();
  const incident = field.incident;
  const inputId = useId();
  const [photo, setPhoto] = useState<PreparedPhoto | null>(null);
  const [takenAt, setTakenAt] = useState<string | null>(null);
  const [fix, setFix] = useState<Fix | null | 'pending'>(null);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<{ photo?: string; description?: string }>({});
  const [preparing, setPreparing] = useState(false);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('field.photo.title'));

  if (field.me.loading && !field.me.data) return <Loading />;
  if (!incident) {
    return (
      <Empty
        action={
          <Link className="btn btn--secondary btn--large" to="/campo/">
            {t('field.back')}
          </Link>
        }
      >
        {t('field.report.noIncident')}
      </Empty>
    );
  }

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setPreparing(true);
    setErrors((e) => ({ ...e, photo: undefined }));
    // On duty the GPS is already being watched: its latest fix is where the officer is (a watch
    // reports only changes, so an officer standing still keeps the same fix). Otherwise ask once.
    const known = field.duty.state.kind === 'tracking' ? field.duty.state.last : null;
    setFix(known ? { lon: known.lon, lat: known.lat, accuracy: known.accuracyM ?? 0 } : 'pending');
    const gps = known ? Promise.resolve() : currentFix().then(setFix);
    try {
      setPhoto(await preparePhoto(file));
      setTakenAt(new Date().toISOString());
    } catch {
      setPhoto(null);
      setErrors((e) => ({ ...e, photo: t('field.photo.unreadable') }));
    } finally {
      setPreparing(false);
    }
    await gps;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: typeof errors = {};
    if (!photo) problems.photo = t('field.photo.required');
    if (description.trim().length < 3) problems.description = t('field.photo.describe');
    setErrors(problems);
    if (!photo || problems.description) return;
    setBusy(true);
    try {
      await field.evidence({
        incident,
        description: description.trim(),
        photo: { data: photo.data, mime: photo.mime, fileName: photo.fileName },
        collectedAt: takenAt ?? new Date().toISOString(),
        ...(fix && fix !== 'pending' ? { lon: fix.lon, lat: fix.lat } : {}),
      });
      toast.show(navigator.onLine ? t('field.toast.sending') : t('field.toast.queued'), 'info');
      navigate('/campo/');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack field-screen" onSubmit={submit} noValidate>
      <div>
        <Link to="/campo/" className="field-back">
          ← {t('field.back')}
        </Link>
        <h1>{t('field.photo.heading', { folio: incident.folio })}</h1>
      </div>
      <div className="field">
        <label htmlFor={inputId} className="btn btn--primary btn--large btn--block field-file">
          {photo ? t('field.photo.retake') : t('field.photo.take')}
        </label>
        <input
          id={inputId}
          className="visually-hidden field-file__input"
          type="file"
          name="photo"
          accept="image/*"
          capture="environment"
          aria-describedby={errors.photo ? `${inputId}-error` : undefined}
          onChange={onFile}
        />
        {errors.photo ? (
          <span id={`${inputId}-error`} className="field__error" role="alert">
            {errors.photo}
          </span>
        ) : null}
      </div>
      {preparing ? <Loading label={t('field.photo.preparing')} /> : null}
      {photo ? (
        <figure className="field-photo">
          <img
            src={photoDataUrl(photo)}
            alt={t('field.photo.previewAlt')}
            width={photo.width}
            height={photo.height}
          />
          <figcaption className="muted">
            {t('field.photo.size', {
              width: photo.width,
              height: photo.height,
              kb: formatNumber(photo.bytes / 1024),
            })}
          </figcaption>
        </figure>
      ) : null}
      {photo ? (
        <p className="muted" aria-live="polite">
          {fix === 'pending'
            ? t('field.photo.locating')
            : fix
              ? t('field.photo.located', {
                  lat: fix.lat.toFixed(5),
                  lon: fix.lon.toFixed(5),
                  accuracy: Math.round(fix.accuracy),
                })
              : t('field.photo.noLocation')}
        </p>
      ) : null}
      <TextArea
        label={t('field.photo.description')}
        name="description"
        required
        maxLength={2000}
        value={description}
        error={errors.description}
        onChange={(event) => setDescription(event.target.value)}
      />
      {!field.online ? <Alert tone="info">{t('field.photo.offlineNote')}</Alert> : null}
      <Button type="submit" size="large" block busy={busy} disabled={preparing}>
        {t('field.photo.submit')}
      </Button>
    </form>
  );
}

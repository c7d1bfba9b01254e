import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { type ApiError, type ApiResponse, api, toApiError, unwrap } from '../../api';
import type { PreparedPhoto } from '../../features/phone';
import { formatDateTime, useI18n } from '../../i18n';
import { Alert, Button, ErrorState, Loading, TextArea, TextField, useToast } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { Honeypot } from './Honeypot';
import { PhotoPicker } from './PhotoPicker';
import { forgetTracking, recalledTracking, type TrackingCredentials } from './tracking-store';

type TrackingView = ApiResponse<'/api/v1/public/tracking/{code}'>;

function fetchTracking({ code, secret }: TrackingCredentials): Promise<TrackingView> {
  return unwrap(
    api.GET('/api/v1/public/tracking/{code}', {
      params: { path: { code } },
      // The secret travels in a header, never in the URL (the server refuses it there).
      headers: { 'x-tracking-secret': secret },
    }),
  );
}

function LookupForm({
  initial,
  busy,
  onSubmit,
}: {
  initial: TrackingCredentials | null;
  busy: boolean;
  onSubmit: (credentials: TrackingCredentials) => void;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState(initial?.code ?? '');
  const [secret, setSecret] = useState(initial?.secret ?? '');
  const [show, setShow] = useState(false);
  const [errors, setErrors] = useState<{ code?: string; secret?: string }>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!code.trim()) found.code = t('citizen.tracking.codeRequired');
    if (!secret.trim()) found.secret = t('citizen.tracking.secretRequired');
    setErrors(found);
    if (found.code || found.secret) return;
    onSubmit({ code: code.trim().toUpperCase(), secret: secret.trim() });
  };
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="citizen-lookup-title">
      <h2 id="citizen-lookup-title">{t('citizen.tracking.lookup')}</h2>
      <TextField
        label={t('citizen.tracking.code')}
        name="code"
        required
        autoCapitalize="characters"
        autoComplete="off"
        spellCheck={false}
        maxLength={40}
        value={code}
        error={errors.code}
        hint={t('citizen.tracking.codeHint')}
        onChange={(event) => setCode(event.target.value)}
      />
      <TextField
        label={t('citizen.tracking.secret')}
        name="secret"
        required
        type={show ? 'text' : 'password'}
        autoComplete="off"
        spellCheck={false}
        maxLength={60}
        value={secret}
        error={errors.secret}
        onChange={(event) => setSecret(event.target.value)}
      />
      <label className="citizen-check">
        <input type="checkbox" checked={show} onChange={(event) => setShow(event.target.checked)} />
        <span>{t('citizen.tracking.showSecret')}</span>
      </label>
      <Button type="submit" size="large" block busy={busy}>
        {t('citizen.tracking.submit')}
      </Button>
    </form>
  );
}

function InformationForm({
  credentials,
  onAdded,
}: {
  credentials: TrackingCredentials;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<PreparedPhoto[]>([]);
  const [website, setWebsite] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setServerError(null);
    if (text.trim().replace(/\s+/g, '').length < 3) {
      setError(t('citizen.info.short'));
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/v1/public/tracking/{code}/information', {
          params: { path: { code: credentials.code } },
          headers: { 'x-tracking-secret': credentials.secret },
          body: {
            text: text.trim(),
            ...(photos.length > 0
              ? { photos: photos.map((p) => ({ data: p.data, mime: p.mime, fileName: p.fileName })) }
              : {}),
            website,
          },
        }),
      );
      setText('');
      setPhotos([]);
      toast.show(t('citizen.info.sent'), 'success');
      onAdded();
    } catch (err) {
      setServerError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="citizen-info-title">
      <h2 id="citizen-info-title">{t('citizen.info.title')}</h2>
      <p className="muted">{t('citizen.info.intro')}</p>
      <TextArea
        label={t('citizen.info.text')}
        name="information"
        required
        rows={4}
        maxLength={4000}
        value={text}
        error={error}
        onChange={(event) => setText(event.target.value)}
      />
      <PhotoPicker photos={photos} onChange={setPhotos} />
      <Honeypot value={website} onChange={setWebsite} />
      {serverError ? <Alert tone="error">{serverError.message}</Alert> : null}
      <Button type="submit" size="large" block busy={busy}>
        {t('citizen.info.submit')}
      </Button>
    </form>
  );
}

const RATINGS = [1, 2, 3, 4, 5] as const;

function SurveyForm({ credentials, onDone }: { credentials: TrackingCredentials; onDone: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const id = useId();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setServerError(null);
    if (rating === null) {
      setError(t('citizen.survey.required'));
      document.querySelector<HTMLInputElement>(`input[name="${id}-rating"]`)?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/v1/public/tracking/{code}/survey', {
          params: { path: { code: credentials.code } },
          headers: { 'x-tracking-secret': credentials.secret },
          body: { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        }),
      );
      toast.show(t('citizen.survey.thanks'), 'success');
      onDone();
    } catch (err) {
      setServerError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('citizen.survey.title')}</h2>
      <fieldset className="citizen-fieldset" aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="field__label">{t('citizen.survey.question')}</legend>
        <div className="citizen-stars">
          {RATINGS.map((value) => (
            <label
              key={value}
              className={`citizen-star${rating !== null && value <= rating ? ' is-on' : ''}`}
            >
              <input
                type="radio"
                name={`${id}-rating`}
                value={value}
                checked={rating === value}
                onChange={() => {
                  setRating(value);
                  setError(null);
                }}
                className="citizen-star__input"
              />
              <span aria-hidden="true" className="citizen-star__icon">
                ★
              </span>
              <span className="visually-hidden">{t(`citizen.survey.rating${value}`)}</span>
            </label>
          ))}
        </div>
        <p className="muted" aria-hidden="true">
          {rating !== null ? t(`citizen.survey.rating${rating}`) : t('citizen.survey.scale')}
        </p>
        {error ? (
          <span id={`${id}-error`} className="field__error" role="alert">
            {error}
          </span>
        ) : null}
      </fieldset>
      <TextArea
        label={t('citizen.survey.comment')}
        name="comment"
        rows={3}
        maxLength={1000}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
      />
      {serverError ? <Alert tone="error">{serverError.message}</Alert> : null}
      <Button type="submit" size="large" block busy={busy}>
        {t('citizen.survey.submit')}
      </Button>
    </form>
  );
}

function StatusView({
  view,
  credentials,
  refreshing,
  onRefresh,
}: {
  view: TrackingView;
  credentials: TrackingCredentials;
  refreshing: boolean;
  onRefresh: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="citizen-status-title">
        <div>
          <h2 id="citizen-status-title">{t('citizen.tracking.reportTitle', { code: view.trackingCode })}</h2>
          <p className="citizen-status" data-open={view.open}>
            <span className="visually-hidden">{t('citizen.tracking.currentStatus')} </span>
            {view.statusText}
          </p>
          <dl className="citizen-facts">
            {view.type ? (
              <div>
                <dt>{t('citizen.tracking.type')}</dt>
                <dd>{view.type}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t('citizen.tracking.folio')}</dt>
              <dd className="mono">{view.folio}</dd>
            </div>
            <div>
              <dt>{t('citizen.tracking.created')}</dt>
              <dd>{formatDateTime(view.createdAt)}</dd>
            </div>
            <div>
              <dt>{t('citizen.tracking.updated')}</dt>
              <dd>{formatDateTime(view.updatedAt)}</dd>
            </div>
          </dl>
        </div>
        <h3>{t('citizen.tracking.history')}</h3>
        <ol className="citizen-history" aria-live="polite" data-testid="tracking-history">
          {view.history.map((entry) => (
            <li key={`${entry.at}|${entry.status ?? ''}|${entry.text}`}>
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
              <span>{entry.text}</span>
            </li>
          ))}
        </ol>
        <Button variant="secondary" size="large" block busy={refreshing} onClick={onRefresh}>
          {t('citizen.tracking.refresh')}
        </Button>
      </section>
      {view.canAddInformation ? <InformationForm credentials={credentials} onAdded={onRefresh} /> : null}
      {view.canRate ? <SurveyForm credentials={credentials} onDone={onRefresh} /> : null}
      {view.survey ? (
        <Alert tone="success">
          {t('citizen.survey.recorded', {
            rating: view.survey.rating,
            date: formatDateTime(view.survey.submittedAt),
          })}
        </Alert>
      ) : null}
      {!view.open && !view.canRate && !view.survey ? (
        <p className="muted">{t('citizen.tracking.closed')}</p>
      ) : null}
    </div>
  );
}

/** Tracking: code + secret → the report's status history in plain language, more info, survey. */
export function TrackingPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('citizen.tracking.title'));
  const [credentials, setCredentials] = useState<TrackingCredentials | null>(recalledTracking);
  const [view, setView] = useState<TrackingView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const request = useRef(0);
  const viewHeading = useRef<HTMLDivElement>(null);
  const focusAfterLoad = useRef(false);

  const load = useCallback(async (target: TrackingCredentials) => {
    const ticket = ++request.current;
    setLoading(true);
    try {
      const answer = await fetchTracking(target);
      if (ticket !== request.current) return;
      setView(answer);
      setError(null);
      if (focusAfterLoad.current) {
        focusAfterLoad.current = false;
        window.requestAnimationFrame(() => viewHeading.current?.focus());
      }
    } catch (err) {
      if (ticket !== request.current) return;
      setError(toApiError(err));
    } finally {
      if (ticket === request.current) setLoading(false);
    }
  }, []);

  // Load on arrival from the receipt and again when the language changes (texts come translated).
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload on language change
  useEffect(() => {
    if (credentials) void load(credentials);
  }, [credentials, load, locale]);

  // No polling: refresh when the citizen comes back to the page.
  useEffect(() => {
    if (!credentials) return;
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load(credentials);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [credentials, load]);

  const lookup = (target: TrackingCredentials) => {
    setView(null);
    setError(null);
    focusAfterLoad.current = true;
    setCredentials(target);
  };

  const leave = () => {
    forgetTracking();
    setCredentials(null);
    setView(null);
    setError(null);
  };

  return (
    <div className="stack citizen-tracking">
      <div>
        <h1>{t('citizen.tracking.title')}</h1>
        <p>{t('citizen.tracking.intro')}</p>
      </div>
      {!view ? <LookupForm initial={credentials} busy={loading} onSubmit={lookup} /> : null}
      {error ? <ErrorState error={error} title={t('citizen.tracking.failed')} /> : null}
      {loading && !view && !error && credentials ? <Loading /> : null}
      {view && credentials ? (
        <div ref={viewHeading} tabIndex={-1} className="stack">
          <StatusView
            view={view}
            credentials={credentials}
            refreshing={loading}
            onRefresh={() => void load(credentials)}
          />
          <Button variant="ghost" onClick={leave}>
            {t('citizen.tracking.other')}
          </Button>
        </div>
      ) : null}
    </div>
  );
}

import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { type ApiError, type ApiResponse, api, toApiError, unwrap } from '../../api';
import { copyText, type PreparedPhoto } from '../../features/phone';
import { useI18n } from '../../i18n';
import { Alert, Button, ErrorState, Field, Loading, TextArea, TextField, useAsync, useToast } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { type LonLat, MapView } from '../../ui/map';
import { Honeypot } from './Honeypot';
import { PhotoPicker } from './PhotoPicker';
import { rememberTracking } from './tracking-store';

type ReportTypes = ApiResponse<'/api/v1/public/report-types'>;
type ReportType = ReportTypes['items'][number];
type Receipt = ApiResponse<'/api/v1/public/reports', 'post'>;
type Answer = 'yes' | 'no' | '';

/** The report types grouped as the catalogue groups them, in catalogue order. */
function groupTypes(items: readonly ReportType[]): { code: string; name: string; items: ReportType[] }[] {
  const groups = new Map<string, { code: string; name: string; items: ReportType[] }>();
  for (const item of items) {
    let group = groups.get(item.group.code);
    if (!group) {
      group = { code: item.group.code, name: item.group.name, items: [] };
      groups.set(item.group.code, group);
    }
    group.items.push(item);
  }
  return [...groups.values()];
}

function CopyRow({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const id = useId();
  return (
    <div className="citizen-credential">
      <span id={id} className="citizen-credential__label">
        {label}
      </span>
      <output aria-labelledby={id} className="citizen-credential__value mono">
        {value}
      </output>
      <Button
        variant="secondary"
        size="large"
        onClick={async () => {
          const ok = await copyText(value);
          toast.show(
            ok ? t('citizen.receipt.copied', { what: label }) : t('citizen.receipt.copyFailed'),
            ok ? 'success' : 'warning',
          );
        }}
      >
        {copyLabel}
      </Button>
    </div>
  );
}

function ReceiptView({ receipt, onAnother }: { receipt: Receipt; onAnother: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="stack citizen-receipt" aria-labelledby="citizen-receipt-title">
      <h1 id="citizen-receipt-title" ref={heading} tabIndex={-1}>
        {t('citizen.receipt.title')}
      </h1>
      <p>{t('citizen.receipt.status', { status: receipt.statusText })}</p>
      <div className="card stack citizen-credentials">
        <CopyRow
          label={t('citizen.receipt.code')}
          value={receipt.trackingCode}
          copyLabel={t('citizen.receipt.copyCode')}
        />
        <CopyRow
          label={t('citizen.receipt.secret')}
          value={receipt.trackingSecret}
          copyLabel={t('citizen.receipt.copySecret')}
        />
      </div>
      <Alert tone="warning">
        <strong>{t('citizen.receipt.warningTitle')}</strong> {t('citizen.receipt.warning')}
      </Alert>
      <Button
        size="large"
        block
        onClick={() => {
          rememberTracking({ code: receipt.trackingCode, secret: receipt.trackingSecret });
          navigate('/reportar/seguimiento');
        }}
      >
        {t('citizen.receipt.track')}
      </Button>
      <Button variant="secondary" size="large" block onClick={onAnother}>
        {t('citizen.receipt.another')}
      </Button>
    </section>
  );
}

function currentPosition(): Promise<LonLat> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new Error('unavailable'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) =>
        resolve({
          lon: Math.round(position.coords.longitude * 1e6) / 1e6,
          lat: Math.round(position.coords.latitude * 1e6) / 1e6,
        }),
      (error) => reject(error),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  });
}

interface Problems {
  typeCode?: string;
  description?: string;
  location?: string;
  phone?: string;
  email?: string;
  name?: string;
}

/** The public report form: what happened, where, optional photos and contact (or anonymous). */
export function ReportPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('citizen.report.title'));
  const types = useAsync(() => unwrap(api.GET('/api/v1/public/report-types')), [locale]);
  const [typeCode, setTypeCode] = useState('');
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [description, setDescription] = useState('');
  const [picked, setPicked] = useState<LonLat | null>(null);
  const [locationText, setLocationText] = useState('');
  const [locating, setLocating] = useState(false);
  const [locateError, setLocateError] = useState<string | null>(null);
  const [photos, setPhotos] = useState<PreparedPhoto[]>([]);
  const [anonymous, setAnonymous] = useState(false);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [notify, setNotify] = useState(true);
  const [website, setWebsite] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const errorBox = useRef<HTMLDivElement>(null);

  const groups = useMemo(() => groupTypes(types.data?.items ?? []), [types.data]);
  const selected = types.data?.items.find((i) => i.code === typeCode) ?? null;

  const reset = () => {
    setTypeCode('');
    setAnswers({});
    setDescription('');
    setPicked(null);
    setLocationText('');
    setPhotos([]);
    setAnonymous(false);
    setName('');
    setPhone('');
    setEmail('');
    setNotify(true);
    setWebsite('');
    setProblems({});
    setServerError(null);
    setReceipt(null);
    window.scrollTo(0, 0);
  };

  if (receipt) return <ReceiptView receipt={receipt} onAnother={reset} />;

  const onAnonymous = (value: boolean) => {
    setAnonymous(value);
    if (value) {
      // An anonymous report carries no contact data at all: clear what was typed.
      setName('');
      setPhone('');
      setEmail('');
      setNotify(true);
      setProblems(({ name: _n, phone: _p, email: _e, ...rest }) => rest);
    }
  };

  const locateMe = async () => {
    setLocating(true);
    setLocateError(null);
    try {
      setPicked(await currentPosition());
    } catch (error) {
      const denied = (error as GeolocationPositionError | null)?.code === 1;
      setLocateError(denied ? t('citizen.location.denied') : t('citizen.location.unavailable'));
    } finally {
      setLocating(false);
    }
  };

  const validate = (): Problems => {
    const found: Problems = {};
    if (description.trim().replace(/\s+/g, '').length < 10)
      found.description = t('citizen.report.descriptionShort');
    if (!picked && !locationText.trim()) found.location = t('citizen.location.required');
    if (!anonymous && phone.trim() && phone.replace(/\D/g, '').length < 8)
      found.phone = t('citizen.contact.phoneInvalid');
    if (!anonymous && email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
      found.email = t('citizen.contact.emailInvalid');
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setServerError(null);
    const found = validate();
    setProblems(found);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0];
      const target = first === 'location' ? 'locationText' : first;
      document.querySelector<HTMLElement>(`[name="${target}"]`)?.focus();
      return;
    }
    const answered = Object.fromEntries(
      Object.entries(answers)
        .filter(([code, value]) => value !== '' && selected?.questions.some((q) => q.code === code))
        .map(([code, value]) => [code, value === 'yes']),
    );
    const contact =
      !anonymous && (name.trim() || phone.trim() || email.trim())
        ? {
            ...(name.trim() ? { name: name.trim() } : {}),
            ...(phone.trim() ? { phone: phone.trim() } : {}),
            ...(email.trim() ? { email: email.trim() } : {}),
            notify,
          }
        : undefined;
    setBusy(true);
    try {
      const answer = await unwrap(
        api.POST('/api/v1/public/reports', {
          body: {
            ...(typeCode ? { typeCode, answers: answered } : {}),
            description: description.trim(),
            location: {
              ...(picked ? { lon: picked.lon, lat: picked.lat } : {}),
              ...(locationText.trim() ? { text: locationText.trim() } : {}),
            },
            ...(photos.length > 0
              ? { photos: photos.map((p) => ({ data: p.data, mime: p.mime, fileName: p.fileName })) }
              : {}),
            ...(contact ? { contact } : {}),
            anonymous,
            website,
          },
        }),
      );
      setReceipt(answer);
    } catch (error) {
      const apiError = toApiError(error);
      setServerError(apiError);
      const fields = apiError.fieldErrors();
      setProblems((p) => ({
        ...p,
        ...(fields.description ? { description: fields.description } : {}),
        ...(fields.phone || fields['contact.phone']
          ? { phone: fields.phone ?? fields['contact.phone'] }
          : {}),
        ...(fields.email || fields['contact.email']
          ? { email: fields.email ?? fields['contact.email'] }
          : {}),
      }));
      window.requestAnimationFrame(() => errorBox.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack citizen-form" onSubmit={submit} noValidate aria-labelledby="citizen-report-title">
      <div>
        <h1 id="citizen-report-title">{t('citizen.report.title')}</h1>
        <p>{t('citizen.report.intro')}</p>
      </div>
      {types.data?.notice ? (
        <Alert tone="warning">
          <strong>{types.data.notice}</strong>
        </Alert>
      ) : null}

      <section className="card stack" aria-labelledby="citizen-what">
        <h2 id="citizen-what">{t('citizen.report.what')}</h2>
        {types.loading && !types.data ? <Loading /> : null}
        {types.error ? <ErrorState error={types.error} onRetry={types.reload} /> : null}
        {types.data ? (
          <Field
            label={t('citizen.report.type')}
            hint={selected ? selected.description : t('citizen.report.typeHint')}
            error={problems.typeCode}
          >
            {(control) => (
              <select
                {...control}
                className="select"
                name="typeCode"
                value={typeCode}
                onChange={(event) => {
                  setTypeCode(event.target.value);
                  setAnswers({});
                }}
              >
                <option value="">{t('citizen.report.typeOther')}</option>
                {groups.map((group) => (
                  <optgroup key={group.code} label={group.name}>
                    {group.items.map((item) => (
                      <option key={item.code} value={item.code}>
                        {item.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {selected && selected.questions.length > 0
          ? selected.questions.map((question) => (
              <fieldset key={question.code} className="citizen-fieldset">
                <legend className="field__label">{question.text}</legend>
                <div className="citizen-segmented">
                  {(['yes', 'no', ''] as const).map((option) => (
                    <label key={option || 'unknown'} className="citizen-segmented__option">
                      <input
                        type="radio"
                        name={`answer-${question.code}`}
                        value={option}
                        checked={(answers[question.code] ?? '') === option}
                        onChange={() => setAnswers((all) => ({ ...all, [question.code]: option }))}
                      />
                      <span>{t(`citizen.answer.${option || 'unknown'}`)}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            ))
          : null}
        <TextArea
          label={t('citizen.report.description')}
          name="description"
          required
          rows={5}
          maxLength={4000}
          value={description}
          error={problems.description}
          hint={t('citizen.report.descriptionHint')}
          onChange={(event) => setDescription(event.target.value)}
        />
      </section>

      <section className="card stack" aria-labelledby="citizen-where">
        <h2 id="citizen-where">{t('citizen.location.title')}</h2>
        <p className="muted">{t('citizen.location.intro')}</p>
        <Button variant="secondary" size="large" block busy={locating} onClick={locateMe}>
          {t('citizen.location.useMine')}
        </Button>
        {locateError ? <Alert tone="warning">{locateError}</Alert> : null}
        <MapView
          className="citizen-map"
          label={t('citizen.location.mapLabel')}
          picking
          picked={picked}
          onPick={setPicked}
        />
        {picked ? (
          <div className="row">
            <span className="muted" aria-live="polite">
              {t('citizen.location.pinned', { lat: picked.lat.toFixed(5), lon: picked.lon.toFixed(5) })}
            </span>
            <Button variant="ghost" onClick={() => setPicked(null)}>
              {t('citizen.location.clearPin')}
            </Button>
          </div>
        ) : null}
        <TextField
          label={t('citizen.location.text')}
          name="locationText"
          maxLength={500}
          autoComplete="street-address"
          value={locationText}
          error={problems.location}
          hint={t('citizen.location.textHint')}
          onChange={(event) => setLocationText(event.target.value)}
        />
      </section>

      <section className="card stack" aria-labelledby="citizen-photos">
        <h2 id="citizen-photos">{t('citizen.photos.title')}</h2>
        <PhotoPicker photos={photos} onChange={setPhotos} />
      </section>

      <section className="card stack" aria-labelledby="citizen-contact">
        <h2 id="citizen-contact">{t('citizen.contact.title')}</h2>
        <label className="citizen-check">
          <input
            type="checkbox"
            name="anonymous"
            checked={anonymous}
            onChange={(event) => onAnonymous(event.target.checked)}
          />
          <span>
            <strong>{t('citizen.contact.anonymous')}</strong>
            <span className="citizen-check__hint">{t('citizen.contact.anonymousHint')}</span>
          </span>
        </label>
        {anonymous ? (
          <p className="muted" aria-live="polite">
            {t('citizen.contact.anonymousOn')}
          </p>
        ) : (
          <div className="stack">
            <p className="muted">{t('citizen.contact.optional')}</p>
            <TextField
              label={t('citizen.contact.name')}
              name="name"
              autoComplete="name"
              maxLength={200}
              value={name}
              error={problems.name}
              onChange={(event) => setName(event.target.value)}
            />
            <TextField
              label={t('citizen.contact.phone')}
              name="phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              maxLength={24}
              value={phone}
              error={problems.phone}
              hint={t('citizen.contact.phoneHint')}
              onChange={(event) => setPhone(event.target.value)}
            />
            <TextField
              label={t('citizen.contact.email')}
              name="email"
              type="email"
              inputMode="email"
              autoComplete="email"
              maxLength={200}
              value={email}
              error={problems.email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <label className="citizen-check">
              <input type="checkbox" checked={notify} onChange={(event) => setNotify(event.target.checked)} />
              <span>{t('citizen.contact.notify')}</span>
            </label>
          </div>
        )}
      </section>

      <Honeypot value={website} onChange={setWebsite} />

      {serverError ? (
        <div ref={errorBox} tabIndex={-1}>
          <Alert tone="error">
            <strong>{t('citizen.report.refused')}</strong> {serverError.message}
          </Alert>
        </div>
      ) : null}
      <Button type="submit" size="large" block busy={busy}>
        {t('citizen.report.submit')}
      </Button>
    </form>
  );
}

import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type ApiBody, api, toApiError, unwrap } from '../../api';
import {
  type Answers,
  familyOf,
  GuidedQuestions,
  type Incident,
  type LocatedPoint,
  loadIncidentTypes,
  type NearbyIncident,
  newIdempotencyKey,
  type Place,
  PRIORITIES,
  PriorityBadge,
  suggestPriority,
  TypePicker,
} from '../../features/incidents';
import { formatNumber, useI18n } from '../../i18n';
import { useLiveEvents } from '../../realtime';
import { Alert, Button, ErrorState, Select, TextArea, TextField, useAction, useAsync } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import {
  addPointLayer,
  EMPTY_POINTS,
  type LonLat,
  type MapLibreMap,
  MapView,
  pointFeatures,
  setPointData,
} from '../../ui/map';
import { colors } from '../../ui/tokens';
import { CallTimer } from './CallTimer';
import { DuplicateWarning } from './DuplicateWarning';
import { PlaceSearch } from './PlaceSearch';
import './call-taker.css';
import './call-taker.messages';

interface FormState {
  /** Idempotency-Key of this form: a double submit replays instead of creating twice. */
  key: string;
  receivedAt: string | null;
  answeredAt: string | null;
  phone: string;
  callerName: string;
  anonymous: boolean;
  placeText: string;
  place: Place | null;
  point: LonLat | null;
  address: string;
  typeCode: string | null;
  answers: Answers;
  /** null = follow the suggested priority. */
  priority: number | null;
  priorityReason: string;
  narrative: string;
}

type FieldName = 'type' | 'narrative' | 'location' | 'reason' | 'phone';
type Errors = Partial<Record<FieldName, string>>;

type Outcome =
  | { kind: 'created'; incident: Incident }
  | { kind: 'attached'; incident: Pick<NearbyIncident, 'id' | 'folio'> };

const IDS = {
  answer: 'ct-answer',
  phone: 'ct-phone',
  reason: 'ct-priority-reason',
  narrative: 'ct-narrative',
} as const;

function focusById(id: string): void {
  document.getElementById(id)?.focus();
}

const PHONE = /^\+?[0-9 ()-]{3,20}$/;
const NEARBY_LAYER = 'ct-nearby';
const ARM_MS = 4000;

function emptyForm(): FormState {
  return {
    key: newIdempotencyKey('call'),
    receivedAt: null,
    answeredAt: null,
    phone: '',
    callerName: '',
    anonymous: false,
    placeText: '',
    place: null,
    point: null,
    address: '',
    typeCode: null,
    answers: {},
    priority: null,
    priorityReason: '',
    narrative: '',
  };
}

function isDirty(f: FormState): boolean {
  return Boolean(
    f.phone ||
      f.callerName ||
      f.anonymous ||
      f.placeText ||
      f.point ||
      f.address ||
      f.typeCode ||
      f.narrative ||
      Object.keys(f.answers).length,
  );
}

/** The next field after `from` in the form (radio groups count once), skipping hidden/disabled ones. */
function nextField(form: HTMLFormElement, from: HTMLElement): HTMLElement | null {
  const all = Array.from(form.querySelectorAll<HTMLInputElement>('input, select, textarea'));
  const fromName = from instanceof HTMLInputElement && from.type === 'radio' ? from.name : null;
  for (const el of all) {
    if (!(from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
    if (el.disabled || el.offsetParent === null) continue;
    if (el.type === 'radio') {
      if (el.name === fromName) continue;
      const group = all.filter((r) => r.type === 'radio' && r.name === el.name);
      const checked = group.find((r) => r.checked);
      if (checked ? checked !== el : group[0] !== el) continue;
    }
    return el;
  }
  return null;
}

export default function CallTakerPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('callTaker.title'));
  const types = useAsync(() => loadIncidentTypes(locale), [locale]);
  const [form, setForm] = useState<FormState>(emptyForm);
  const [errors, setErrors] = useState<Errors>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [armed, setArmed] = useState<'escape' | 'f2' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [located, setLocated] = useState<LocatedPoint | null>(null);
  const [nearby, setNearby] = useState<NearbyIncident[]>([]);
  const [checking, setChecking] = useState(false);
  const [nearbyGeneration, setNearbyGeneration] = useState(0);
  const [attachingId, setAttachingId] = useState<string | null>(null);

  const formRef = useRef<HTMLFormElement>(null);
  const placeRef = useRef<HTMLInputElement>(null);
  const typeRef = useRef<HTMLInputElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const inFlight = useRef(false);
  const nearbyPoints = useRef(EMPTY_POINTS);

  const type = useMemo(
    () => types.data?.find((candidate) => candidate.code === form.typeCode) ?? null,
    [types.data, form.typeCode],
  );
  const suggested = type ? suggestPriority(type, form.answers) : null;
  const priority = form.priority ?? suggested;
  const overridden = suggested !== null && form.priority !== null && form.priority !== suggested;
  const family = form.typeCode ? familyOf(form.typeCode) : null;
  const dirty = isDirty(form);

  /** Any edit: starts the call timer if the call-taker did not press "Atender llamada" first. */
  const update = useCallback((patch: Partial<FormState>) => {
    setForm((previous) => {
      const now = new Date().toISOString();
      const started = previous.answeredAt ? {} : { receivedAt: now, answeredAt: now };
      return { ...previous, ...started, ...patch };
    });
    setArmed(null);
  }, []);

  const clearError = (name: FieldName) =>
    setErrors((previous) => {
      if (!previous[name]) return previous;
      const { [name]: _removed, ...rest } = previous;
      return rest;
    });

  const reset = useCallback((focusAnswer = true) => {
    setForm(emptyForm());
    setErrors({});
    setArmed(null);
    setLocated(null);
    setNearby([]);
    if (focusAnswer) window.setTimeout(() => focusById(IDS.answer), 0);
  }, []);

  const answerCall = useCallback(() => {
    if (dirty && armed !== 'f2') {
      setArmed('f2');
      return;
    }
    const now = new Date().toISOString();
    setForm({ ...emptyForm(), receivedAt: now, answeredAt: now });
    setErrors({});
    setArmed(null);
    setOutcome(null);
    setLocated(null);
    setNearby([]);
    setNotice(null);
    window.setTimeout(() => focusById(IDS.phone), 0);
  }, [dirty, armed]);

  // F2 anywhere on the screen answers a new call.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'F2') return;
      event.preventDefault();
      answerCall();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [answerCall]);

  // A second Esc/F2 must come soon after the first.
  useEffect(() => {
    if (!armed) return;
    const timer = window.setTimeout(() => setArmed(null), ARM_MS);
    return () => window.clearTimeout(timer);
  }, [armed]);

  // Where the marked point is (district, municipality, department), for the call-taker to confirm.
  useEffect(() => {
    const point = form.point;
    if (!point) {
      setLocated(null);
      return;
    }
    let current = true;
    unwrap(api.GET('/api/v1/geo/locate', { params: { query: { lon: point.lon, lat: point.lat } } })).then(
      (answer) => current && setLocated(answer),
      () => current && setLocated(null),
    );
    return () => {
      current = false;
    };
  }, [form.point]);

  // Open incidents of the same family near the point: the duplicate warning, before submitting.
  // biome-ignore lint/correctness/useExhaustiveDependencies: nearbyGeneration re-runs it on live events
  useEffect(() => {
    const point = form.point;
    if (!point || !family) {
      setNearby([]);
      setChecking(false);
      return;
    }
    let current = true;
    setChecking(true);
    const timer = window.setTimeout(() => {
      unwrap(
        api.GET('/api/v1/incidents/nearby', {
          params: { query: { lon: point.lon, lat: point.lat, family } },
        }),
      ).then(
        (answer) => {
          if (!current) return;
          setNearby(answer.items);
          setChecking(false);
        },
        () => {
          if (!current) return;
          setNearby([]);
          setChecking(false);
        },
      );
    }, 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [form.point, family, nearbyGeneration]);

  // Another call-taker may register the same event meanwhile: re-check on incident events.
  useLiveEvents(
    ['incident'],
    (event) => {
      if (event.type.startsWith('incident.')) setNearbyGeneration((g) => g + 1);
    },
    { enabled: Boolean(form.point && family), onResync: () => setNearbyGeneration((g) => g + 1) },
  );

  // Nearby incidents on the map too.
  useEffect(() => {
    nearbyPoints.current = pointFeatures(
      nearby,
      (i) => [i.lon, i.lat],
      (i) => ({ id: i.id, folio: i.folio }),
    );
    if (mapRef.current) setPointData(mapRef.current, NEARBY_LAYER, nearbyPoints.current);
  }, [nearby]);

  const onMapLoad = useCallback((map: MapLibreMap) => {
    mapRef.current = map;
    const remove = addPointLayer(map, {
      id: NEARBY_LAYER,
      data: nearbyPoints.current,
      color: colors.map.incident,
      radius: 8,
    });
    return () => {
      remove();
      mapRef.current = null;
    };
  }, []);

  const onPlace = (place: Place) => {
    update({ place, placeText: place.label });
    clearError('location');
    const [west = place.point.lon, south = place.point.lat, east = place.point.lon, north = place.point.lat] =
      place.bbox;
    mapRef.current?.fitBounds(
      [
        [west, south],
        [east, north],
      ],
      { padding: 24, duration: 0, maxZoom: 15 },
    );
  };

  const onPick = (point: LonLat) => {
    update({ point: { lon: Number(point.lon.toFixed(6)), lat: Number(point.lat.toFixed(6)) } });
    clearError('location');
  };

  function validate(forAttach: boolean): Errors {
    const found: Errors = {};
    if (!forAttach) {
      if (!form.typeCode) found.type = t('callTaker.error.type');
      const municipality = form.place?.municipality?.pcode;
      if (!form.point && !municipality && !form.address.trim())
        found.location = t('callTaker.error.location');
      if (overridden && form.priorityReason.trim().length < 3) found.reason = t('callTaker.error.reason');
    }
    if (!form.narrative.trim()) {
      found.narrative = forAttach ? t('callTaker.dup.needsNarrative') : t('callTaker.error.narrative');
    }
    if (!form.anonymous && form.phone.trim() && !PHONE.test(form.phone.trim()))
      found.phone = t('callTaker.error.phone');
    return found;
  }

  function focusFirstError(found: Errors) {
    const order: [FieldName, () => void][] = [
      ['phone', () => focusById(IDS.phone)],
      ['location', () => placeRef.current?.focus()],
      ['type', () => typeRef.current?.focus()],
      ['reason', () => focusById(IDS.reason)],
      ['narrative', () => focusById(IDS.narrative)],
    ];
    for (const [name, focus] of order) {
      if (found[name]) {
        focus();
        return;
      }
    }
  }

  function callerBody(): ApiBody<'/api/v1/incidents'>['caller'] {
    if (form.anonymous) return { anonymous: true };
    const phone = form.phone.trim();
    const name = form.callerName.trim();
    if (!phone && !name) return undefined;
    return { ...(phone ? { phone } : {}), ...(name ? { name } : {}) };
  }

  function callTimes() {
    return {
      ...(form.receivedAt ? { callReceivedAt: form.receivedAt } : {}),
      ...(form.answeredAt ? { callAnsweredAt: form.answeredAt } : {}),
    };
  }

  function locationBody(): ApiBody<'/api/v1/incidents'>['location'] {
    const text = form.address.trim() || undefined;
    if (form.point) return { lon: form.point.lon, lat: form.point.lat, ...(text ? { text } : {}) };
    const municipality = form.place?.municipality?.pcode;
    if (municipality) return { municipalityPcode: municipality, text: text ?? form.place?.label };
    return { text };
  }

  /** A refusal (4xx) is final for this key: the next try, with corrected data, needs a fresh one. */
  const rotateKeyAfter = (error: unknown) => {
    const { status, code } = toApiError(error);
    // Still running on the server (an earlier try): keep the key so a retry replays that answer.
    if (code === 'IDEMPOTENCY_IN_PROGRESS') return;
    if (status >= 400 && status < 500)
      setForm((previous) => ({ ...previous, key: newIdempotencyKey('call') }));
  };

  const create = useAction(async () => {
    const questions = new Set(type?.questions.map((q) => q.code) ?? []);
    const answers = Object.fromEntries(Object.entries(form.answers).filter(([code]) => questions.has(code)));
    const body: ApiBody<'/api/v1/incidents'> = {
      typeCode: form.typeCode ?? '',
      answers,
      narrative: form.narrative.trim(),
      location: locationBody(),
      ...(callerBody() ? { caller: callerBody() } : {}),
      ...callTimes(),
      ...(overridden && form.priority !== null
        ? { priority: form.priority, priorityReason: form.priorityReason.trim() }
        : {}),
    };
    try {
      return await unwrap(api.POST('/api/v1/incidents', { body, headers: { 'Idempotency-Key': form.key } }));
    } catch (error) {
      rotateKeyAfter(error);
      throw error;
    }
  });

  const attach = useAction(async (target: NearbyIncident) => {
    try {
      await unwrap(
        api.POST('/api/v1/incidents/{id}/calls', {
          params: { path: { id: target.id } },
          body: {
            narrative: form.narrative.trim(),
            ...(callerBody() ? { caller: callerBody() } : {}),
            ...callTimes(),
          },
          headers: { 'Idempotency-Key': form.key },
        }),
      );
      return target;
    } catch (error) {
      rotateKeyAfter(error);
      throw error;
    }
  });

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    // A ref, not state: a second Ctrl+Enter in the same tick must not send a second request.
    if (inFlight.current) return;
    const found = validate(false);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstError(found);
      return;
    }
    inFlight.current = true;
    const incident = await create.run().finally(() => {
      inFlight.current = false;
    });
    if (!incident) return;
    setOutcome({ kind: 'created', incident });
    setNotice(null);
    reset();
  };

  const onAttach = async (target: NearbyIncident) => {
    if (inFlight.current) return;
    const found = validate(true);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstError(found);
      return;
    }
    inFlight.current = true;
    setAttachingId(target.id);
    const done = await attach.run(target).finally(() => {
      inFlight.current = false;
    });
    setAttachingId(null);
    if (!done) return;
    setOutcome({ kind: 'attached', incident: { id: done.id, folio: done.folio } });
    setNotice(null);
    reset();
  };

  const onFormKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    const target = event.target as HTMLElement;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
      return;
    }
    if (event.key === 'Escape') {
      if (event.defaultPrevented) return;
      event.preventDefault();
      if (!dirty) return;
      if (armed === 'escape') {
        reset(false);
        setNotice(t('callTaker.cleared'));
        focusById(IDS.phone);
      } else {
        setArmed('escape');
      }
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.defaultPrevented) return;
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLButtonElement) return;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    event.preventDefault();
    if (formRef.current) nextField(formRef.current, target)?.focus();
  };

  const placeLabel = located?.district?.name ?? located?.municipality?.name;
  const locatedText = located
    ? located.insideCountry
      ? t('callTaker.pointIn', {
          place: [placeLabel, located.district ? located.municipality?.name : null, located.department?.name]
            .filter(Boolean)
            .join(', '),
        })
      : t('callTaker.pointOutside')
    : null;
  const requestError = create.error ?? attach.error;

  return (
    <div className="ct">
      <header className="ct__header">
        <div>
          <h1>{t('callTaker.title')}</h1>
          <p className="muted ct__shortcuts">{t('callTaker.shortcuts')}</p>
        </div>
        <div className="ct__call">
          <CallTimer answeredAt={form.answeredAt} />
          <Button id={IDS.answer} variant={form.answeredAt ? 'secondary' : 'primary'} onClick={answerCall}>
            {form.answeredAt ? t('callTaker.newCall') : t('callTaker.answer')}
          </Button>
        </div>
      </header>

      <div aria-live="polite" className="ct__notices">
        {armed === 'escape' ? <Alert tone="warning">{t('callTaker.escArmed')}</Alert> : null}
        {armed === 'f2' ? <Alert tone="warning">{t('callTaker.f2Armed')}</Alert> : null}
        {notice ? <p className="muted">{notice}</p> : null}
      </div>

      {outcome ? <OutcomePanel outcome={outcome} /> : null}

      <div className="ct__layout">
        <form ref={formRef} className="ct__form" noValidate onSubmit={submit} onKeyDown={onFormKeyDown}>
          <fieldset className="ct__section">
            <legend>{t('callTaker.section.caller')}</legend>
            <div className="ct__grid2">
              <TextField
                id={IDS.phone}
                label={`${t('callTaker.phone')} (${t('callTaker.optional')})`}
                hint={t('callTaker.phoneHint')}
                name="phone"
                type="tel"
                inputMode="tel"
                autoComplete="off"
                value={form.anonymous ? '' : form.phone}
                disabled={form.anonymous}
                error={errors.phone}
                onChange={(e) => {
                  update({ phone: e.target.value });
                  clearError('phone');
                }}
              />
              <TextField
                label={`${t('callTaker.callerName')} (${t('callTaker.optional')})`}
                name="callerName"
                autoComplete="off"
                value={form.anonymous ? '' : form.callerName}
                disabled={form.anonymous}
                onChange={(e) => update({ callerName: e.target.value })}
              />
            </div>
            <label className="ct__check">
              <input
                type="checkbox"
                name="anonymous"
                checked={form.anonymous}
                onChange={(e) => {
                  update({ anonymous: e.target.checked });
                  clearError('phone');
                }}
              />
              {t('callTaker.anonymous')}
            </label>
          </fieldset>

          <fieldset className="ct__section">
            <legend>{t('callTaker.section.location')}</legend>
            <PlaceSearch
              inputRef={placeRef}
              text={form.placeText}
              onTextChange={(text) =>
                update(text === form.place?.label ? { placeText: text } : { placeText: text, place: null })
              }
              onSelect={onPlace}
            />
            <TextField
              label={t('callTaker.address')}
              hint={t('callTaker.addressHint')}
              name="address"
              autoComplete="off"
              maxLength={500}
              value={form.address}
              error={errors.location}
              onChange={(e) => {
                update({ address: e.target.value });
                clearError('location');
              }}
            />
            <div className="ct__where" aria-live="polite">
              {form.place ? <p>{t('callTaker.place.chosen', { label: form.place.label })}</p> : null}
              {form.point ? (
                <div className="row">
                  <p>
                    {locatedText ??
                      t('callTaker.point', {
                        lat: formatNumber(form.point.lat, locale, 5),
                        lon: formatNumber(form.point.lon, locale, 5),
                      })}
                  </p>
                  <Button variant="ghost" onClick={() => update({ point: null })}>
                    {t('callTaker.clearPoint')}
                  </Button>
                </div>
              ) : (
                <p className="muted">{t('callTaker.noPoint')}</p>
              )}
            </div>
          </fieldset>

          <fieldset className="ct__section">
            <legend>{t('callTaker.section.type')}</legend>
            {types.error ? (
              <ErrorState error={types.error} onRetry={types.reload} />
            ) : (
              <TypePicker
                types={types.data}
                value={form.typeCode}
                inputRef={typeRef}
                required
                error={errors.type}
                onChange={(code) => {
                  update({ typeCode: code, priority: null, priorityReason: '' });
                  clearError('type');
                  clearError('reason');
                }}
              />
            )}
            {type ? (
              <GuidedQuestions
                questions={type.questions}
                answers={form.answers}
                onChange={(answers) => update({ answers })}
              />
            ) : null}
            <p className="ct__suggested" role="status" data-testid="suggested-priority">
              {suggested !== null ? (
                <>
                  {t('callTaker.suggestedLabel')} <PriorityBadge priority={suggested} long />
                </>
              ) : (
                t('callTaker.suggestedNone')
              )}
            </p>
            <div className="ct__grid2">
              <Select
                label={t('callTaker.priority')}
                hint={t('callTaker.priorityHint')}
                name="priority"
                disabled={suggested === null}
                value={priority === null ? '' : String(priority)}
                placeholder={suggested === null ? '—' : undefined}
                options={PRIORITIES.map((p) => ({
                  value: String(p),
                  label:
                    p === suggested
                      ? t('callTaker.priorityOption', { label: t(`incidents.priority.${p}`) })
                      : t(`incidents.priority.${p}`),
                }))}
                onChange={(e) => {
                  const chosen = Number(e.target.value);
                  update({ priority: chosen === suggested ? null : chosen });
                  clearError('reason');
                }}
              />
              {overridden ? (
                <TextField
                  id={IDS.reason}
                  label={t('callTaker.priorityReason')}
                  hint={t('callTaker.priorityReasonHint')}
                  name="priorityReason"
                  required
                  maxLength={1000}
                  value={form.priorityReason}
                  error={errors.reason}
                  onChange={(e) => {
                    update({ priorityReason: e.target.value });
                    clearError('reason');
                  }}
                />
              ) : null}
            </div>
          </fieldset>

          <fieldset className="ct__section">
            <legend>{t('callTaker.section.narrative')}</legend>
            <TextArea
              id={IDS.narrative}
              label={t('callTaker.narrative')}
              hint={t('callTaker.narrativeHint')}
              name="narrative"
              required
              rows={5}
              maxLength={10_000}
              value={form.narrative}
              error={errors.narrative}
              onChange={(e) => {
                update({ narrative: e.target.value });
                clearError('narrative');
              }}
            />
          </fieldset>

          {Object.keys(errors).length > 0 ? <Alert tone="error">{t('callTaker.invalid')}</Alert> : null}
          {requestError ? <ErrorState error={requestError} /> : null}

          <div className="ct__actions">
            <Button type="submit" busy={create.busy} disabled={attachingId !== null}>
              {t('callTaker.submit')}
            </Button>
            <Button variant="ghost" onClick={() => (dirty ? reset() : undefined)} disabled={!dirty}>
              {t('callTaker.clear')}
            </Button>
          </div>
        </form>

        <aside className="ct__aside" aria-label={t('callTaker.section.location')}>
          <div className="ct__map">
            <MapView
              label={t('callTaker.map')}
              picking
              onPick={onPick}
              picked={form.point}
              onLoad={onMapLoad}
            />
          </div>
          {form.point && family ? (
            <DuplicateWarning
              items={nearby}
              checking={checking}
              onAttach={onAttach}
              attachingId={attachingId}
            />
          ) : null}
        </aside>
      </div>
    </div>
  );
}

function OutcomePanel({ outcome }: { outcome: Outcome }) {
  const { t } = useI18n();
  const incident = outcome.incident;
  const created = outcome.kind === 'created' ? outcome.incident : null;
  return (
    <div className="alert alert--success ct__outcome" role="status" data-testid="call-outcome">
      <p>
        <strong>
          {created
            ? t('callTaker.createdDetail', {
                folio: created.folio,
                priority: created.priority === null ? '—' : t(`incidents.priority.${created.priority}`),
              })
            : t('callTaker.attached', { folio: incident.folio })}
        </strong>{' '}
        <Link to={`/incidentes/${incident.id}`}>
          {t('callTaker.openIncident', { folio: incident.folio })}
        </Link>
      </p>
      {created && created.possibleDuplicates.length > 0 ? (
        <div>
          <p>{t('callTaker.serverDuplicates')}</p>
          <ul>
            {created.possibleDuplicates.map((d) => (
              <li key={d.id}>
                <Link to={`/incidentes/${d.id}`}>{d.folio}</Link> ·{' '}
                {t('incidents.distance', { meters: d.distanceM })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

import { type FormEvent, useEffect, useState } from 'react';
import { type ApiResponse, api, unwrap } from '../../api';
import { formatDuration, useI18n } from '../../i18n';
import { Button, ErrorState, Loading, TextArea, useAction, useAsync, useToast } from '../../ui';
import { SectionHead, ServerError } from './common';

type Target = ApiResponse<'/api/v1/response-targets'>['items'][number];
type Stage = 'answerSeconds' | 'dispatchSeconds' | 'onSceneSeconds';
const STAGES: Stage[] = ['answerSeconds', 'dispatchSeconds', 'onSceneSeconds'];

/** Response-time targets per priority (seconds), changed all at once with a reason. */
export default function TargetsSection() {
  const { t } = useI18n();
  const toast = useToast();
  const targets = useAsync(() => unwrap(api.GET('/api/v1/response-targets')), []);
  const [draft, setDraft] = useState<Record<number, Record<Stage, string>>>({});
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (!targets.data) return;
    setDraft(
      Object.fromEntries(
        targets.data.items.map((row) => [
          row.priority,
          {
            answerSeconds: String(row.answerSeconds),
            dispatchSeconds: String(row.dispatchSeconds),
            onSceneSeconds: String(row.onSceneSeconds),
          },
        ]),
      ),
    );
  }, [targets.data]);

  const changed = (targets.data?.items ?? []).filter((row) =>
    STAGES.some((s) => draft[row.priority] && Number(draft[row.priority]![s]) !== row[s]),
  );
  const save = useAction(() =>
    unwrap(
      api.PUT('/api/v1/response-targets', {
        body: {
          reason: reason.trim(),
          items: changed.map((row) => ({
            priority: row.priority,
            answerSeconds: Number(draft[row.priority]!.answerSeconds),
            dispatchSeconds: Number(draft[row.priority]!.dispatchSeconds),
            onSceneSeconds: Number(draft[row.priority]!.onSceneSeconds),
          })),
        },
      }),
    ),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await save.run();
    if (result) {
      toast.show(t('adm.targets.saved'), 'success');
      setReason('');
      targets.setData(result);
    }
  };

  return (
    <section className="adm-section" aria-labelledby="adm-targets-h">
      <SectionHead id="adm-targets-h" title={t('adm.targets.title')} />
      <p className="muted">{t('adm.targets.help')}</p>
      {targets.loading && !targets.data ? <Loading /> : null}
      {targets.error ? <ErrorState error={targets.error} onRetry={targets.reload} /> : null}
      {targets.data && targets.data.items.length === 0 ? <p>{t('adm.targets.empty')}</p> : null}
      {targets.data && targets.data.items.length > 0 ? (
        <form className="adm-form" onSubmit={submit}>
          <div className="table-wrap">
            <table className="table">
              <caption>{t('adm.targets.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('adm.priority')}</th>
                  {STAGES.map((s) => (
                    <th key={s} scope="col">
                      {t(`adm.targets.${s}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {targets.data.items.map((row: Target) => (
                  <tr key={row.priority}>
                    <th scope="row">{t('adm.priorityN', { n: row.priority })}</th>
                    {STAGES.map((s) => {
                      const value = draft[row.priority]?.[s] ?? '';
                      const id = `target-${row.priority}-${s}`;
                      return (
                        <td key={s}>
                          <label className="visually-hidden" htmlFor={id}>
                            {t('adm.targets.cellLabel', { stage: t(`adm.targets.${s}`), n: row.priority })}
                          </label>
                          <input
                            id={id}
                            className="input adm-seconds"
                            type="number"
                            min={1}
                            max={86400}
                            step={1}
                            required
                            value={value}
                            aria-describedby={`${id}-h`}
                            onChange={(e) =>
                              setDraft({
                                ...draft,
                                [row.priority]: { ...draft[row.priority]!, [s]: e.target.value },
                              })
                            }
                          />
                          <span id={`${id}-h`} className="field__hint">
                            {Number(value) > 0 ? formatDuration(Number(value)) : '—'}
                          </span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <TextArea
            label={t('adm.reason')}
            hint={t('adm.targets.reasonHint')}
            required
            minLength={3}
            maxLength={1000}
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <ServerError error={save.error} />
          <div className="adm-actions">
            <Button type="submit" busy={save.busy} disabled={changed.length === 0}>
              {changed.length === 0
                ? t('adm.targets.noChanges')
                : t('adm.targets.save', { n: changed.length })}
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api';
import { useI18n } from '../../i18n';
import { Button, Select, TextArea, TextField, useAction, useToast } from '../../ui';
import { BASE, idem, readFile, Section, ServerError, today } from './common';

/**
 * Monitoring visit report, built for a phone in the field: date and type, team, findings (one per
 * line), follow-up actions, photos from the camera. The visit is recorded, then each photo is added.
 */
export default function VisitForm() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const [visitedOn, setVisitedOn] = useState(today());
  const [visitType, setVisitType] = useState<'announced' | 'unannounced'>('announced');
  const [team, setTeam] = useState('');
  const [findings, setFindings] = useState('');
  const [actions, setActions] = useState<{ action: string; dueOn: string }[]>([{ action: '', dueOn: '' }]);
  const [photos, setPhotos] = useState<File[]>([]);
  const [caption, setCaption] = useState('');
  const lines = (text: string) =>
    text
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  const save = useAction(async () => {
    const visit = await unwrap(
      api.POST('/api/v1/grants/agreements/{id}/visits', {
        params: { path: { id } },
        headers: idem(),
        body: {
          visitedOn,
          visitType,
          team: lines(team),
          findings: lines(findings),
          followUp: actions
            .filter((a) => a.action.trim())
            .map((a) => ({ action: a.action.trim(), ...(a.dueOn ? { dueOn: a.dueOn } : {}) })),
        },
      }),
    );
    for (const photo of photos) {
      const read = await readFile(photo);
      await unwrap(
        api.POST('/api/v1/grants/visits/{id}/photos', {
          params: { path: { id: visit.id } },
          headers: idem(),
          body: {
            data: read.data,
            fileName: read.fileName,
            mime: read.mime,
            ...(caption.trim() ? { caption: caption.trim() } : {}),
          },
        }),
      );
    }
    return visit;
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save.run()) {
      toast.show(t('gr.visit.saved'), 'success');
      navigate(`${BASE}/convenios/${id}`);
    }
  };
  return (
    <div className="gr-visit">
      <Section id="gr-visit" title={t('gr.visit.title')}>
        <form className="gr-form" onSubmit={submit}>
          <TextField
            label={t('gr.visit.date')}
            type="date"
            required
            value={visitedOn}
            onChange={(e) => setVisitedOn(e.target.value)}
          />
          <Select
            label={t('gr.visit.typeLabel')}
            value={visitType}
            options={(['announced', 'unannounced'] as const).map((v) => ({
              value: v,
              label: t(`gr.visit.type.${v}`),
            }))}
            onChange={(e) => setVisitType(e.target.value as 'announced' | 'unannounced')}
          />
          <TextArea
            label={t('gr.visit.team')}
            hint={t('gr.visit.onePerLine')}
            required
            rows={2}
            value={team}
            onChange={(e) => setTeam(e.target.value)}
          />
          <TextArea
            label={t('gr.visit.findings')}
            hint={t('gr.visit.onePerLine')}
            rows={5}
            value={findings}
            onChange={(e) => setFindings(e.target.value)}
          />
          <fieldset className="gr-fieldset">
            <legend>{t('gr.visit.followUp')}</legend>
            {actions.map((a, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved
              <div key={i} className="stack">
                <TextField
                  label={t('gr.visit.action', { n: i + 1 })}
                  value={a.action}
                  onChange={(e) =>
                    setActions(actions.map((x, j) => (j === i ? { ...x, action: e.target.value } : x)))
                  }
                />
                <TextField
                  label={t('gr.visit.dueOn', { n: i + 1 })}
                  type="date"
                  value={a.dueOn}
                  onChange={(e) =>
                    setActions(actions.map((x, j) => (j === i ? { ...x, dueOn: e.target.value } : x)))
                  }
                />
              </div>
            ))}
            <Button
              variant="secondary"
              size="large"
              onClick={() => setActions([...actions, { action: '', dueOn: '' }])}
            >
              {t('gr.visit.addAction')}
            </Button>
          </fieldset>
          <TextField
            label={t('gr.visit.photos')}
            type="file"
            accept="image/jpeg,image/png"
            capture="environment"
            multiple
            onChange={(e) => setPhotos(Array.from(e.target.files ?? []))}
          />
          {photos.length > 0 ? <p className="muted">{t('gr.visit.photosN', { n: photos.length })}</p> : null}
          <TextField
            label={t('gr.visit.caption')}
            value={caption}
            onChange={(e) => setCaption(e.target.value)}
          />
          <ServerError error={save.error} />
          <Button type="submit" size="large" block busy={save.busy}>
            {t('gr.visit.save')}
          </Button>
        </form>
      </Section>
    </div>
  );
}

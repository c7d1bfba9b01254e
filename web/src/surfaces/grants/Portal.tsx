import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { formatDate, formatDateTime, useI18n } from '../../i18n';
import {
  Button,
  ErrorState,
  Loading,
  Select,
  Table,
  TextField,
  useAction,
  useAsync,
  useToast,
} from '../../ui';
import {
  BASE,
  Facts,
  idem,
  Money,
  openProtectedFile,
  readFile,
  Section,
  ServerError,
  StatusChip,
} from './common';
import { RedFlags } from './RedFlags';

type Org = ApiResponse<'/api/v1/grants/organisations/{id}'>;
type Doc = Org['documents'][number];
type Call = ApiResponse<'/api/v1/grants/calls'>['items'][number];

const KINDS = [
  'legal_personality',
  'statutes',
  'board_credential',
  'legal_rep_credential',
  'registry_certificate',
  'financial_statements',
  'tax_solvency',
  'social_security_solvency',
  'bank_certificate',
  'raex_certificate',
  'conflict_declaration',
  'other',
] as const;

const day = (d: string) => formatDate(`${d}T12:00:00Z`);

/** NGO portal: the organisation's profile and documents, open calls to submit a plan to. */
export default function Portal() {
  const { t } = useI18n();
  const auth = useAuth();
  const orgs = useAsync(() => unwrap(api.GET('/api/v1/grants/organisations', { params: { query: {} } })), []);
  const [orgId, setOrgId] = useState('');
  useEffect(() => {
    if (!orgId && orgs.data?.items[0]) setOrgId(orgs.data.items[0].id);
  }, [orgs.data, orgId]);
  const calls = useAsync(
    () => unwrap(api.GET('/api/v1/grants/calls', { params: { query: { status: 'published' } } })),
    [],
  );
  if (orgs.loading && !orgs.data) return <Loading />;
  if (orgs.error) return <ErrorState error={orgs.error} onRetry={orgs.reload} />;
  const items = orgs.data?.items ?? [];
  return (
    <div className="stack">
      {items.length === 0 ? (
        <Section id="gr-portal-none" title={t('gr.portal.title')}>
          <p>{t('gr.portal.noOrganisation')}</p>
        </Section>
      ) : null}
      {items.length > 1 ? (
        <Select
          label={t('gr.portal.pickOrganisation')}
          value={orgId}
          options={items.map((o) => ({ value: o.id, label: o.name }))}
          onChange={(e) => setOrgId(e.target.value)}
        />
      ) : null}
      {orgId ? <Organisation id={orgId} canUpload={auth.can('grant.documents.upload')} /> : null}
      <Section id="gr-portal-calls" title={t('gr.portal.calls')}>
        {calls.error ? <ErrorState error={calls.error} onRetry={calls.reload} /> : null}
        {calls.data ? (
          <Table<Call>
            caption={t('gr.portal.calls')}
            captionHidden
            rows={calls.data.items}
            rowKey={(c) => c.id}
            empty={t('gr.portal.noCalls')}
            columns={[
              { key: 'code', header: t('gr.form.code'), render: (c) => c.code },
              { key: 'title', header: t('gr.form.title'), render: (c) => `${c.title} (${c.programme})` },
              { key: 'closes', header: t('gr.portal.closesOn'), render: (c) => day(c.closesOn) },
              {
                key: 'remaining',
                header: t('gr.portal.remaining'),
                render: (c) => <Money cents={c.remainingCents} />,
                numeric: true,
              },
              {
                key: 'act',
                header: t('gr.actions'),
                render: (c) =>
                  auth.can('grant.ngo.submit') ? (
                    <Link to={`${BASE}/planes/nuevo?convocatoria=${c.id}`}>
                      {t('gr.portal.formulate', { code: c.code })}
                    </Link>
                  ) : null,
              },
            ]}
          />
        ) : (
          <Loading />
        )}
      </Section>
    </div>
  );
}

function Organisation({ id, canUpload }: { id: string; canUpload: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const org = useAsync(
    () => unwrap(api.GET('/api/v1/grants/organisations/{id}', { params: { path: { id } } })),
    [id],
  );
  const download = useAction((doc: Doc) =>
    openProtectedFile(`/api/v1/grants/organisations/${id}/documents/${doc.id}/file`, doc.fileName),
  );
  if (org.loading && !org.data) return <Loading />;
  if (org.error) return <ErrorState error={org.error} onRetry={org.reload} />;
  const o = org.data;
  if (!o) return null;
  const current = o.documents.filter((d) => !d.supersededBy);
  return (
    <>
      <Section id="gr-portal-org" title={o.name}>
        <Facts
          items={[
            [t('gr.org.status'), <StatusChip key="s" status={o.status} prefix="gr.org.st" />],
            [t('gr.org.type'), t(`gr.org.type.${o.type}`)],
            [t('gr.org.nit'), o.nit],
            [t('gr.org.registry'), `${o.registryNumber} · ${day(o.registryDate)}`],
            [t('gr.org.registryValidUntil'), o.registryValidUntil ? day(o.registryValidUntil) : '—'],
            [t('gr.org.legalRep'), o.legalRepresentative.name],
            [t('gr.org.credentialValidUntil'), day(o.legalRepresentative.credentialValidUntil)],
            [t('gr.org.boardValidUntil'), day(o.boardValidUntil)],
            [t('gr.org.address'), o.address],
            [t('gr.org.bank'), `${o.bankName} · ${o.bankAccount}`],
          ]}
        />
        <RedFlags organisationId={o.id} />
        <h3>{t('gr.org.board')}</h3>
        <ul>
          {o.boardMembers.map((m) => (
            <li key={m.id}>
              {m.fullName} — {m.position}
            </li>
          ))}
        </ul>
      </Section>
      <Section id="gr-portal-docs" title={t('gr.docs.title')}>
        <Table<Doc>
          caption={t('gr.docs.title')}
          captionHidden
          rows={current}
          rowKey={(d) => d.id}
          empty={t('gr.docs.empty')}
          columns={[
            { key: 'kind', header: t('gr.docs.kind'), render: (d) => t(`gr.docKind.${d.kind}`) },
            { key: 'file', header: t('gr.docs.file'), render: (d) => d.fileName },
            {
              key: 'valid',
              header: t('gr.docs.validUntil'),
              render: (d) => (d.validUntil ? day(d.validUntil) : '—'),
            },
            { key: 'at', header: t('gr.docs.uploadedAt'), render: (d) => formatDateTime(d.uploadedAt) },
            {
              key: 'sha',
              header: 'SHA-256',
              render: (d) => <span className="mono">{d.sha256.slice(0, 12)}…</span>,
            },
            {
              key: 'dl',
              header: t('gr.actions'),
              render: (d) => (
                <Button
                  variant="ghost"
                  onClick={() => void download.run(d)}
                  aria-label={t('gr.docs.downloadOf', { name: d.fileName })}
                >
                  {t('gr.docs.download')}
                </Button>
              ),
            },
          ]}
        />
        <ServerError error={download.error} />
        {canUpload ? (
          <UploadDocument
            organisationId={id}
            onDone={() => {
              toast.show(t('gr.docs.uploaded'), 'success');
              org.reload();
            }}
          />
        ) : null}
      </Section>
    </>
  );
}

function UploadDocument({ organisationId, onDone }: { organisationId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const upload = useAction(async () => {
    if (!file) throw new Error(t('gr.docs.pickFile'));
    const read = await readFile(file);
    return unwrap(
      api.POST('/api/v1/grants/organisations/{id}/documents', {
        params: { path: { id: organisationId } },
        headers: idem(),
        body: {
          kind: kind as (typeof KINDS)[number],
          data: read.data,
          fileName: read.fileName,
          mime: read.mime,
          ...(validUntil ? { validUntil } : {}),
        },
      }),
    );
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await upload.run()) {
      setKind('');
      setValidUntil('');
      setFile(null);
      (event.target as HTMLFormElement).reset();
      onDone();
    }
  };
  return (
    <form className="gr-form" onSubmit={submit} aria-label={t('gr.docs.upload')}>
      <h3>{t('gr.docs.upload')}</h3>
      <div className="gr-grid">
        <Select
          label={t('gr.docs.kind')}
          required
          value={kind}
          placeholder={t('gr.choose')}
          options={KINDS.map((k) => ({ value: k, label: t(`gr.docKind.${k}`) }))}
          onChange={(e) => setKind(e.target.value)}
        />
        <TextField
          label={t('gr.docs.validUntil')}
          type="date"
          value={validUntil}
          onChange={(e) => setValidUntil(e.target.value)}
        />
        <TextField
          label={t('gr.docs.file')}
          type="file"
          required
          accept="application/pdf,image/jpeg,image/png"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <ServerError error={upload.error} />
      <div>
        <Button type="submit" busy={upload.busy}>
          {t('gr.docs.uploadButton')}
        </Button>
      </div>
    </form>
  );
}

import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { Button, TextField, useAction, useToast } from '../../ui';
import { BASE, dollarsToCents, idem, Section, ServerError, today } from './common';
import { RowsEditor, type RowValues } from './RowsEditor';

/**
 * The authority signs the agreement of an approved plan: number, amount (up to the approved one),
 * period, tranches with their conditions, liquidation days and the agreement's administrator.
 */
export function SignAgreement({ planId, approvedCents }: { planId: string; approvedCents: number }) {
  const { t } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const amount = (approvedCents / 100).toFixed(2);
  const [f, setF] = useState({
    number: '',
    amount,
    startsOn: '',
    endsOn: '',
    signedOn: today(),
    liquidationDays: '30',
    administratorId: auth.me?.id ?? '',
  });
  const [tranches, setTranches] = useState<RowValues[]>([{ amount, pct: '0', visit: 'no' }]);
  const sign = useAction(() => {
    const cents = dollarsToCents(f.amount);
    const rows = tranches.map((r) => ({
      amountCents: dollarsToCents(r.amount ?? ''),
      minJustifiedPct: Number(r.pct || 0),
      requiresVisit: r.visit === 'yes',
    }));
    if (cents === null || rows.some((r) => r.amountCents === null))
      throw new Error(t('gr.form.badAmountOne'));
    return unwrap(
      api.POST('/api/v1/grants/plans/{planId}/agreement', {
        params: { path: { planId } },
        headers: idem(),
        body: {
          number: f.number.trim(),
          amountCents: cents,
          startsOn: f.startsOn,
          endsOn: f.endsOn,
          signedOn: f.signedOn,
          liquidationDays: Number(f.liquidationDays) || 30,
          administratorId: f.administratorId.trim(),
          tranches: rows.map((r) => ({
            amountCents: r.amountCents as number,
            ...(r.minJustifiedPct ? { minJustifiedPct: r.minJustifiedPct } : {}),
            ...(r.requiresVisit ? { requiresVisit: true } : {}),
          })),
        },
      }),
    );
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const signed = await sign.run();
    if (signed) {
      toast.show(t('gr.sign.done', { number: signed.number }), 'success');
      navigate(`${BASE}/convenios/${signed.id}`);
    }
  };
  const set = (key: keyof typeof f) => (e: { target: { value: string } }) =>
    setF((x) => ({ ...x, [key]: e.target.value }));
  return (
    <Section id="gr-sign" title={t('gr.sign.title')}>
      <form className="gr-form" onSubmit={submit} aria-labelledby="gr-sign">
        <div className="gr-grid">
          <TextField
            label={t('gr.sign.number')}
            required
            minLength={3}
            value={f.number}
            onChange={set('number')}
          />
          <TextField
            label={t('gr.form.amountUsd')}
            required
            inputMode="decimal"
            value={f.amount}
            onChange={set('amount')}
          />
          <TextField
            label={t('gr.sign.startsOn')}
            type="date"
            required
            value={f.startsOn}
            onChange={set('startsOn')}
          />
          <TextField
            label={t('gr.sign.endsOn')}
            type="date"
            required
            value={f.endsOn}
            onChange={set('endsOn')}
          />
          <TextField
            label={t('gr.sign.signedOn')}
            type="date"
            required
            value={f.signedOn}
            onChange={set('signedOn')}
          />
          <TextField
            label={t('gr.sign.liquidationDays')}
            inputMode="numeric"
            value={f.liquidationDays}
            onChange={set('liquidationDays')}
          />
          <TextField
            label={t('gr.sign.administrator')}
            hint={t('gr.sign.administratorHint')}
            required
            value={f.administratorId}
            onChange={set('administratorId')}
          />
        </div>
        <RowsEditor
          legend={t('gr.sign.tranches')}
          name="tranches"
          addLabel={t('gr.sign.addTranche')}
          rows={tranches}
          onChange={setTranches}
          columns={[
            { key: 'amount', label: t('gr.form.amountUsd'), type: 'money', required: true },
            { key: 'pct', label: t('gr.sign.minJustifiedPct'), type: 'number' },
            {
              key: 'visit',
              label: t('gr.sign.requiresVisit'),
              type: 'select',
              options: [
                { value: 'no', label: t('gr.no') },
                { value: 'yes', label: t('gr.yes') },
              ],
            },
          ]}
        />
        <ServerError error={sign.error} />
        <div>
          <Button type="submit" busy={sign.busy}>
            {t('gr.sign.submit')}
          </Button>
        </div>
      </form>
    </Section>
  );
}

import { AppError } from '../../../platform/http/errors.js';
import { registerMessages } from '../../../platform/i18n/catalog.js';
import { todayInElSalvador } from '../shared/dates.js';

registerMessages({
  es: {
    'errors.GRANT_PAYMENT_BEFORE_AGREEMENT':
      'La fecha {paidOn} es anterior a la firma del convenio ({signedOn}): no puede haber pagos ni reintegros antes.',
    'errors.GRANT_PAYMENT_DATE_IN_FUTURE':
      'La fecha {paidOn} todavía no ha llegado (hoy es {today}): registre el pago o el reintegro cuando ocurra.',
    'errors.GRANT_DATE_IN_FUTURE':
      'La fecha {date} todavía no ha llegado (hoy es {today}): un comprobante no puede estar emitido en el futuro.',
  },
  en: {
    'errors.GRANT_PAYMENT_BEFORE_AGREEMENT':
      'The date {paidOn} is before the agreement was signed ({signedOn}): there can be no payment or refund before it.',
    'errors.GRANT_PAYMENT_DATE_IN_FUTURE':
      'The date {paidOn} has not come yet (today is {today}): record the payment or refund when it happens.',
    'errors.GRANT_DATE_IN_FUTURE':
      'The date {date} has not come yet (today is {today}): a receipt cannot be issued in the future.',
  },
});

/**
 * The date of a disbursement's payment or of a refund's deposit: never before the agreement was
 * signed, never after today (El Salvador). Dates out of order are refused with their own code.
 */
export function assertPaymentDate(
  paidOn: string,
  agreement: { signed_on: string },
  now: Date,
  field = 'paidOn',
): void {
  if (paidOn < agreement.signed_on) {
    throw new AppError('GRANT_PAYMENT_BEFORE_AGREEMENT', 400, { paidOn, signedOn: agreement.signed_on }, [
      { field, code: 'GRANT_PAYMENT_BEFORE_AGREEMENT' },
    ]);
  }
  const today = todayInElSalvador(now);
  if (paidOn > today) {
    throw new AppError('GRANT_PAYMENT_DATE_IN_FUTURE', 400, { paidOn, today }, [
      { field, code: 'GRANT_PAYMENT_DATE_IN_FUTURE' },
    ]);
  }
}

/** A receipt's issue date: never after today (El Salvador). */
export function assertNotInFuture(date: string, now: Date, field: string): void {
  const today = todayInElSalvador(now);
  if (date > today) {
    throw new AppError('GRANT_DATE_IN_FUTURE', 400, { date, today }, [
      { field, code: 'GRANT_DATE_IN_FUTURE' },
    ]);
  }
}

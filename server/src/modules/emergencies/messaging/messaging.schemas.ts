import { type Static, Type } from '@sinclair/typebox';
import { MAX_PHOTO_BASE64_CHARS, MAX_PHOTOS } from '../citizen/attachments.js';

export const IncomingMessage = Type.Object(
  {
    messageId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Id del mensaje en la pasarela (idempotencia)',
    }),
    sender: Type.String({ minLength: 8, maxLength: 24, description: 'Teléfono del remitente (El Salvador)' }),
    text: Type.Optional(Type.String({ maxLength: 4000 })),
    receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
    channel: Type.Optional(
      Type.Union([Type.Literal('sms'), Type.Literal('whatsapp')], {
        default: 'sms',
        description: 'Por dónde llegó (y por dónde se responde)',
      }),
    ),
    location: Type.Optional(
      Type.Object(
        {
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lon: Type.Number({ minimum: -180, maximum: 180 }),
        },
        { additionalProperties: false },
      ),
    ),
    media: Type.Optional(
      Type.Array(
        Type.Object(
          {
            url: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 2000 })),
            base64: Type.Optional(Type.String({ minLength: 4, maxLength: MAX_PHOTO_BASE64_CHARS })),
            mime: Type.String({ maxLength: 60 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: MAX_PHOTOS },
      ),
    ),
  },
  { additionalProperties: false },
);
export type IncomingMessage = Static<typeof IncomingMessage>;

export const MessageOutcome = Type.Object({
  outcome: Type.Union([Type.Literal('created'), Type.Literal('threaded'), Type.Literal('duplicate')]),
  folio: Type.String(),
  trackingCode: Type.String(),
});
export type MessageOutcome = Static<typeof MessageOutcome>;

import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';
import { MAX_PHOTO_BASE64_CHARS, MAX_PHOTOS } from './attachments.js';

export const PhotoInput = Type.Object(
  {
    data: Type.String({
      minLength: 4,
      maxLength: MAX_PHOTO_BASE64_CHARS,
      description: 'Imagen JPEG, PNG o WebP en base64 (máximo 5 MB); se acepta un URL data:',
    }),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
    mime: Type.Optional(Type.String({ maxLength: 60, description: 'Se verifica contra los primeros bytes' })),
  },
  { additionalProperties: false },
);

export const Photos = Type.Array(PhotoInput, { maxItems: MAX_PHOTOS, description: 'Hasta 3 fotos' });

/** Invisible form field: people leave it empty, bots fill it. */
const Honeypot = Type.Optional(
  Type.String({
    maxLength: 500,
    description: 'Campo trampa: debe ir vacío (no lo muestre en el formulario)',
  }),
);

export const ReportCreate = Type.Object(
  {
    typeCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 80, description: 'Uno de GET /public/report-types' }),
    ),
    answers: Type.Optional(
      Type.Record(Type.String({ maxLength: 60 }), Type.Boolean(), {
        description: 'Respuestas sí/no a las preguntas del tipo',
      }),
    ),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    location: Type.Object(
      {
        lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
        lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
        text: Type.Optional(
          Type.String({ minLength: 1, maxLength: 500, description: 'Dirección o punto de referencia' }),
        ),
      },
      { additionalProperties: false },
    ),
    photos: Type.Optional(Photos),
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          phone: Type.Optional(
            Type.String({ minLength: 8, maxLength: 24, description: 'Teléfono de El Salvador (+503)' }),
          ),
          email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
          notify: Type.Optional(
            Type.Boolean({
              default: true,
              description: 'Recibir avisos de cambios de estado (SMS o correo)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    anonymous: Type.Boolean({ description: 'Denuncia anónima: no se guarda ningún dato de contacto' }),
    website: Honeypot,
  },
  { additionalProperties: false },
);
export type ReportCreate = Static<typeof ReportCreate>;

export const ReportCreated = Type.Object({
  trackingCode: Type.String({ description: 'Código de seguimiento, p. ej. CEN-7K3Q-9XPD' }),
  trackingSecret: Type.String({ description: 'Clave de seguimiento: se muestra una sola vez; guárdela' }),
  folio: Type.String(),
  status: Type.String(),
  statusText: Type.String(),
});

export const ReportTypeList = Type.Object({
  notice: Type.String(),
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      description: Type.String(),
      group: Type.Object({ code: Type.String(), name: Type.String() }),
      questions: Type.Array(Type.Object({ code: Type.String(), text: Type.String() })),
    }),
  ),
});

export const TrackingParams = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

const Secret = Type.Optional(
  Type.String({
    minLength: 1,
    maxLength: 60,
    description: 'Clave de seguimiento (o cabecera X-Tracking-Secret)',
  }),
);

export const TrackingQuery = Type.Object(
  {
    secret: Type.Optional(
      Type.String({ description: 'No la envíe aquí: una clave en la URL queda en registros; se rechaza' }),
    ),
  },
  { additionalProperties: false },
);

export const TrackingView = Type.Object({
  trackingCode: Type.String(),
  folio: Type.String(),
  status: Type.String(),
  statusText: Type.String(),
  open: Type.Boolean(),
  type: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  history: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      status: Nullable(Type.String()),
      text: Type.String(),
    }),
  ),
  canAddInformation: Type.Boolean(),
  canRate: Type.Boolean(),
  survey: Nullable(
    Type.Object({ rating: Type.Integer(), submittedAt: Type.String({ format: 'date-time' }) }),
  ),
});
export type TrackingView = Static<typeof TrackingView>;

export const InformationCreate = Type.Object(
  {
    secret: Secret,
    text: Type.String({ minLength: 1, maxLength: 4000 }),
    photos: Type.Optional(Photos),
    website: Honeypot,
  },
  { additionalProperties: false },
);
export type InformationCreate = Static<typeof InformationCreate>;

export const InformationAdded = Type.Object({
  received: Type.Literal(true),
  at: Type.String({ format: 'date-time' }),
  photos: Type.Integer(),
});

export const SurveyCreate = Type.Object(
  {
    secret: Secret,
    rating: Type.Integer({
      minimum: 1,
      maximum: 5,
      description: '1 = muy insatisfecho … 5 = muy satisfecho',
    }),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type SurveyCreate = Static<typeof SurveyCreate>;

export const SurveyRecorded = Type.Object({
  rating: Type.Integer(),
  submittedAt: Type.String({ format: 'date-time' }),
});

import { type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

/** Schemas of the JSON form (the XML carries the same fields); used for the OpenAPI document. */
const Text = Type.Optional(Type.String());

export const Open311Errors = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }), {
  description: 'Lista de errores (JSON) o <errors><error>… (XML)',
});

export const Open311FileParams = Type.Object(
  { file: Type.String({ minLength: 1, maxLength: 200, description: '{id}.json o {id}.xml' }) },
  { additionalProperties: false },
);

/** GET parameters; unknown ones (jurisdiction_id, api_key on GETs…) are accepted and ignored. */
export const Open311Query = Type.Object(
  {
    jurisdiction_id: Text,
    service_request_id: Type.Optional(
      Type.String({ description: 'Lista separada por comas; anula los demás filtros' }),
    ),
    service_code: Type.Optional(Type.String({ description: 'Lista separada por comas' })),
    start_date: Type.Optional(Type.String({ description: 'Fecha W3C; el rango no puede superar 90 días' })),
    end_date: Type.Optional(Type.String({ description: 'Fecha W3C' })),
    status: Type.Optional(Type.String({ description: 'open, closed o ambos' })),
    page: Type.Optional(Type.String({ description: 'Extensión común: página (desde 1)' })),
    page_size: Type.Optional(Type.String({ description: 'Extensión común: tamaño de página (máx. 1000)' })),
  },
  { additionalProperties: true },
);

export const Open311CreateForm = Type.Object(
  {
    api_key: Text,
    jurisdiction_id: Text,
    service_code: Text,
    lat: Text,
    long: Text,
    address_string: Text,
    address_id: Text,
    email: Text,
    device_id: Text,
    account_id: Text,
    first_name: Text,
    last_name: Text,
    phone: Text,
    description: Text,
    media_url: Text,
    attribute: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
        description: 'attribute[CODIGO]=valor en el formulario',
      }),
    ),
  },
  { additionalProperties: true },
);

export const Open311Created = Type.Array(
  Type.Object({
    service_request_id: Type.String(),
    service_notice: Nullable(Type.String()),
    account_id: Nullable(Type.String()),
  }),
);

export const Open311ServiceList = Type.Array(
  Type.Object({
    service_code: Type.String(),
    service_name: Type.String(),
    description: Type.String(),
    metadata: Type.Boolean(),
    type: Type.Literal('realtime'),
    keywords: Type.String(),
    group: Type.String(),
  }),
);

export const Open311ServiceDefinition = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(
    Type.Object({
      variable: Type.Boolean(),
      code: Type.String(),
      datatype: Type.String(),
      required: Type.Boolean(),
      datatype_description: Type.String(),
      order: Type.Integer(),
      description: Type.String(),
      values: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
    }),
  ),
});

export const Open311RequestList = Type.Array(
  Type.Object({
    service_request_id: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    status_notes: Nullable(Type.String()),
    service_name: Type.String(),
    service_code: Type.String(),
    description: Nullable(Type.String()),
    agency_responsible: Nullable(Type.String()),
    service_notice: Nullable(Type.String()),
    requested_datetime: Type.String(),
    updated_datetime: Type.String(),
    expected_datetime: Nullable(Type.String()),
    address: Nullable(Type.String()),
    address_id: Nullable(Type.String()),
    zipcode: Nullable(Type.String()),
    lat: Nullable(Type.Number()),
    long: Nullable(Type.Number()),
    media_url: Nullable(Type.String()),
  }),
);

export const Open311Discovery = Type.Object({
  changeset: Type.String(),
  contact: Type.String(),
  key_service: Type.String(),
  endpoints: Type.Array(
    Type.Object({
      specification: Type.String(),
      url: Type.String(),
      changeset: Type.String(),
      type: Type.String(),
      formats: Type.Array(Type.String()),
    }),
  ),
});

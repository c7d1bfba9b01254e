import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { listCameras } from './config.service.js';
import { VIDEO_PERMISSIONS as P } from './video.policy.js';
import { CameraList } from './video.schemas.js';

/**
 * The camera registry for those who configure it (administration surface). GET /video/cameras
 * serves the same list to the alert board's readers (video.alert.read), a permission administrators
 * do not hold: configuring cameras does not need the alert feed and its plate reads.
 */
export async function cameraConfigRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/video/config/cameras',
    {
      config: { permission: P.configManage },
      schema: {
        tags: ['911 videoanalítica'],
        security: [{ bearerAuth: [] }],
        summary: 'Cámaras registradas, para configurarlas (incluye las inactivas)',
        response: { 200: CameraList },
      },
    },
    async () => listCameras(deps),
  );
}

/** Helpers shared by the phone surfaces (field app, citizen portal). */
export { copyText } from './clipboard';
export {
  blobToBase64,
  fitWithin,
  MAX_PHOTO_SIDE,
  type PreparedPhoto,
  photoDataUrl,
  preparePhoto,
} from './photos';
export { uuid } from './uuid';

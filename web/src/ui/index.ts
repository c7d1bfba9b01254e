export { Button, type ButtonProps } from './Button';
export { Dialog, type DialogProps } from './Dialog';
export {
  type ControlProps,
  Field,
  type FieldProps,
  Select,
  type SelectOption,
  TextArea,
  TextField,
} from './Field';
export { Alert, Empty, ErrorState, Loading } from './states';
export { type Column, Table, type TableProps } from './Table';
export { type ToastApi, ToastProvider, type ToastTone, useToast } from './Toast';
export { colors, radius, space, touchTarget, type } from './tokens';
export { type ActionState, type AsyncState, useAction, useAsync } from './useAsync';

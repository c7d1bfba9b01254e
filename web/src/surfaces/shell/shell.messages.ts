import { registerMessages } from '../../i18n';

registerMessages({
  es: {
    'activity.title': 'Actividad reciente',
    'activity.intro': 'Eventos de su ámbito en vivo, desde que abrió esta página.',
    'activity.empty': 'Sin actividad nueva por ahora.',
    'activity.resync': 'Se perdieron eventos durante la desconexión; la lista se reinició.',
    'events.incident.created': 'Incidente registrado',
    'events.incident.updated': 'Incidente actualizado',
    'events.incident.classified': 'Incidente clasificado',
    'events.incident.priority_changed': 'Prioridad cambiada',
    'events.incident.note_added': 'Nota agregada',
    'events.incident.closed': 'Incidente cerrado',
    'events.incident.cancelled': 'Incidente cancelado',
    'events.incident.reopened': 'Incidente reabierto',
    'events.incident.merged': 'Incidentes unidos',
  },
  en: {
    'activity.title': 'Recent activity',
    'activity.intro': 'Live events in your scope since you opened this page.',
    'activity.empty': 'No new activity yet.',
    'activity.resync': 'Events were missed while disconnected; the list was reset.',
    'events.incident.created': 'Incident registered',
    'events.incident.updated': 'Incident updated',
    'events.incident.classified': 'Incident classified',
    'events.incident.priority_changed': 'Priority changed',
    'events.incident.note_added': 'Note added',
    'events.incident.closed': 'Incident closed',
    'events.incident.cancelled': 'Incident cancelled',
    'events.incident.reopened': 'Incident reopened',
    'events.incident.merged': 'Incidents merged',
  },
});

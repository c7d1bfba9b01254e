export interface MessagingMessagesTable {
  id: string;
  provider: string;
  message_id: string;
  /** E.164 phone of the sender. */
  sender: string;
  incident_id: string;
  outcome: 'created' | 'threaded';
  received_at: Date;
  processed_at: Date;
}

declare module '../../../platform/db/schema.js' {
  interface Database {
    messaging_messages: MessagingMessagesTable;
  }
}

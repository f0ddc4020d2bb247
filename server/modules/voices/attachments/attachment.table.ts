import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface AttachmentTable {
  region_id: number;
  id: Generated<number>;
  /** Null until the intake links the upload to its message. */
  message_id: number | null;
  /** Order of the photo within its message (0–4), set when linked. */
  position: number | null;
  sha256: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  /** `Buffer` from `pg`, `Uint8Array` from PGlite. */
  bytes: ColumnType<Uint8Array, Uint8Array, never>;
  /** SHA-256 (hex) of the upload token; the token itself is only ever with the uploader. */
  token_hash: string;
  created_at: Timestamp;
  linked_at: Timestamp | null;
}

/** The photos' table (migration `2026-12-01T1700-attachments`). */
export type AttachmentTables = {
  attachments: AttachmentTable;
};

// Crypto-shredding: personal values encrypted per data subject, erased by destroying the subject's key.
export { DecryptionFailedError, KEY_BYTES, newDataKey } from './aes-gcm';
export { LruCache } from './lru-cache';
export { decodeMasterKey, MasterKey, MASTER_KEY_VERSION, type MasterKeyOptions } from './master-key';
export {
  DataKeyDestroyedError,
  DataKeyMissingError,
  DataKeyring,
  dataKeysTableDdl,
  type DataKeyringOptions,
  type DataKeySource,
  type DataKeyTable,
} from './data-keyring';
export {
  mapPersonalValues,
  subjectProperty,
  withoutPersonalValues,
  type PersonalFieldMap,
  type PersonalPath,
  type PersonalValueTransform,
  type SubjectOf,
} from './personal-data';
export {
  CorruptPersonalDataError,
  isCiphertext,
  PersonalDataCodec,
  type CodableEvent,
  type EventCodec,
  type PersonalDataCodecOptions,
} from './personal-data-codec';
export { EncryptingEventStore } from './encrypting-event-store';
export { InMemoryDataKeys } from './in-memory-data-keys';

// Data keys in memory, for unit tests of codecs and deciders over encrypted events: created on write, destroyed
// on demand, with the same errors as the DataKeyring.
import { newDataKey } from './aes-gcm';
import { DataKeyDestroyedError, DataKeyMissingError, type DataKeySource } from './data-keyring';

export class InMemoryDataKeys implements DataKeySource {
  /** By subject id (lower case): the key, or null once destroyed. */
  readonly keys = new Map<string, Buffer | null>();

  async keysForWriting(subjectIds: readonly string[]): Promise<ReadonlyMap<string, Buffer>> {
    const found = new Map<string, Buffer>();
    for (const id of subjectIds.map((subjectId) => subjectId.toLowerCase())) {
      if (this.keys.get(id) === null) throw new DataKeyDestroyedError(id);
      const key = this.keys.get(id) ?? newDataKey();
      this.keys.set(id, key);
      found.set(id, key);
    }
    return found;
  }

  async keysForReading(subjectIds: readonly string[]): Promise<ReadonlyMap<string, Buffer | null>> {
    const found = new Map<string, Buffer | null>();
    for (const id of subjectIds.map((subjectId) => subjectId.toLowerCase())) {
      const key = this.keys.get(id);
      if (key === undefined) throw new DataKeyMissingError(id);
      found.set(id, key);
    }
    return found;
  }

  destroy(subjectId: string): void {
    this.keys.set(subjectId.toLowerCase(), null);
  }
}

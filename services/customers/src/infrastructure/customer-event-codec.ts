// The customers' event codec: @crm/event-store's PersonalDataCodec driven by the domain's PERSONAL_FIELDS, whose
// subjects (`customerId`, `mergedId`) are properties of the event data, bound to the `crm/customers` namespace.
import { PersonalDataCodec, withoutPersonalValues, type CodableEvent, type DataKeySource } from '@crm/event-store';
import { PERSONAL_FIELDS, type CustomerEventType, type DataSubject } from '../domain';
import { CUSTOMERS_NAMESPACE } from './crypto/master-key';

export const isCustomerEventType = (type: string): type is CustomerEventType => Object.hasOwn(PERSONAL_FIELDS, type);

export class CustomerEventCodec extends PersonalDataCodec<DataSubject> {
  constructor(keys: DataKeySource) {
    super(keys, { fields: PERSONAL_FIELDS, namespace: CUSTOMERS_NAMESPACE });
  }

  /** The event as it reads after its subjects' erasure, without asking for keys. */
  static shredded<E extends CodableEvent>(event: E): E {
    return withoutPersonalValues(event, PERSONAL_FIELDS);
  }
}

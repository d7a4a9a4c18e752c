import { compareSchemas } from './schema-compatibility';

type Properties = Record<string, unknown>;
const object = (properties: Properties, required: string[]) => ({ type: 'object', title: 'crm.x.v1', properties, required });
const id = { type: 'string', format: 'uuid' };
const email = { type: 'string', format: 'email', maxLength: 254 };
const channel = { type: 'string', enum: ['email', 'sms', 'phone'] };
const tags = { type: 'array', items: { type: 'string' } };

// Given a published schema with a required id and channel, an optional email and tags…
const base = object({ customerId: id, email, channel, tags }, ['customerId', 'channel']);
const withField = (name: string, schema: unknown) => object({ ...base.properties, [name]: schema }, base.required);
const without = (name: string) => {
  const { [name]: _, ...rest } = base.properties;
  return object(rest, base.required.filter((r) => r !== name));
};
const requiring = (...required: string[]) => object(base.properties, required);

describe('compareSchemas', () => {
  it('given an identical schema, then there are no changes', () => {
    expect(compareSchemas(base, structuredClone(base))).toEqual({ breaking: [], compatible: [] });
  });

  it('given an added optional field, then it is compatible and named', () => {
    expect(compareSchemas(base, withField('phone', { type: 'string' }))).toEqual({
      breaking: [],
      compatible: [{ path: 'phone', message: 'optional field added' }],
    });
  });

  it('given changed descriptions and examples, then it is compatible', () => {
    const next = { ...withField('email', { ...email, examples: ['a@b.c'] }), description: 'now documented' };
    expect(compareSchemas(base, next)).toEqual({
      breaking: [],
      compatible: [
        { path: 'email', message: 'examples changed' },
        { path: '', message: 'description changed' },
      ],
    });
  });

  it.each([
    ['a removed required field', without('customerId'), 'customerId', 'field removed'],
    ['a removed optional field', without('email'), 'email', 'field removed'],
    ['an optional field made required', requiring('customerId', 'channel', 'email'), 'email', 'optional field made required'],
    ['a required field made optional', requiring('customerId'), 'channel', 'required field made optional'],
    [
      'an added required field',
      object({ ...base.properties, phone: { type: 'string' } }, [...base.required, 'phone']),
      'phone',
      'required field added',
    ],
    ['a changed type', withField('customerId', { ...id, type: 'integer' }), 'customerId', 'type changed from string to integer'],
    ['a narrowed enum', withField('channel', { ...channel, enum: ['email', 'sms'] }), 'channel', 'enum narrowed: "phone" removed'],
    ['a widened enum', withField('channel', { ...channel, enum: [...channel.enum, 'fax'] }), 'channel', 'enum widened: "fax" added'],
    ['a tighter constraint', withField('email', { ...email, maxLength: 100 }), 'email', 'constraint maxLength changed from 254 to 100'],
    ['a dropped format', withField('customerId', { type: 'string' }), 'customerId', 'constraint format changed from "uuid" to none'],
    ['changed array items', withField('tags', { type: 'array', items: { type: 'number' } }), 'tags[]', 'type changed from string to number'],
    ['a closed object', { ...base, additionalProperties: false }, '', 'additionalProperties changed'],
  ])('given %s, then it is breaking and names the field', (_case, next, path, message) => {
    expect(compareSchemas(base, next).breaking).toEqual([{ path, message }]);
  });

  it('given a change deep inside nested objects, then the path names it', () => {
    const nested = (fullName: unknown) =>
      object({ contact: object({ name: object({ fullName }, ['fullName']) }, ['name']) }, ['contact']);
    expect(compareSchemas(nested({ type: 'string' }), nested({ type: 'number' })).breaking).toEqual([
      { path: 'contact.name.fullName', message: 'type changed from string to number' },
    ]);
  });

  describe('given union branches', () => {
    const branch = (kind: string, extra: Properties) => object({ kind: { type: 'string', const: kind }, ...extra }, ['kind']);
    const union = (...branches: unknown[]) => object({ customer: { anyOf: branches } }, ['customer']);
    const existing = branch('existing', { customerId: id });
    const before = union(existing, branch('new', { email }));

    it('then a field removed in a branch is breaking', () => {
      expect(compareSchemas(before, union(existing, branch('new', {}))).breaking).toEqual([
        { path: 'customer.anyOf[1].email', message: 'field removed' },
      ]);
    });

    it('then an optional field added in a branch is compatible', () => {
      expect(compareSchemas(before, union(existing, branch('new', { email, phone: id })))).toEqual({
        breaking: [],
        compatible: [{ path: 'customer.anyOf[1].phone', message: 'optional field added' }],
      });
    });

    it('then a new branch or a renamed discriminator is breaking', () => {
      expect(compareSchemas(before, union(existing, branch('new', { email }), branch('x', {}))).breaking).toEqual([
        { path: 'customer', message: 'anyOf changed from 2 to 3 alternatives' },
      ]);
      expect(compareSchemas(before, union(existing, branch('brand-new', { email }))).breaking).toEqual([
        { path: 'customer.anyOf[1].kind', message: 'constraint const changed from "new" to "brand-new"' },
      ]);
    });
  });

  it('reports every breaking change at once', () => {
    const next = object({ customerId: { ...id, type: 'integer' }, channel: { ...channel, enum: ['email'] } }, [
      'customerId',
      'channel',
      'tags',
    ]);
    expect(compareSchemas(base, next).breaking).toEqual([
      { path: 'customerId', message: 'type changed from string to integer' },
      { path: 'email', message: 'field removed' },
      { path: 'channel', message: 'enum narrowed: "sms", "phone" removed' },
      { path: 'tags', message: 'field removed' },
      { path: 'tags', message: 'required field added' },
    ]);
  });
});

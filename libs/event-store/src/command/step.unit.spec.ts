// Steps of a command: ids derived from the command's, the same on every retry, distinct per step.
import { randomUUID } from 'node:crypto';
import { stepOf } from './step';

describe('stepOf', () => {
  const command = { metadata: { commandId: randomUUID(), correlationId: 'corr-1', actor: 'op-1', time: '2025-01-01T00:00:00Z' }, expectedRevision: 3n, at: '2025-01-01T00:00:00Z' };

  it('derives one id per step, caused by the command, keeping the rest of the envelope but its expected revision', () => {
    const absorb = stepOf(command, 'absorb');
    expect(absorb).toEqual({
      metadata: { commandId: expect.any(String), correlationId: 'corr-1', causationId: command.metadata.commandId, actor: 'op-1', time: command.metadata.time },
      at: command.at,
    });
    expect(absorb.metadata.commandId).not.toBe(command.metadata.commandId);
    expect(stepOf(command, 'absorb')).toEqual(absorb);
    expect(stepOf(command, 'mark').metadata.commandId).not.toBe(absorb.metadata.commandId);
  });

  it('keeps the derivation stored ids depend on', () => {
    const fixed = { metadata: { commandId: '6ba7b810-9dad-11d1-80b4-00c04fd430c8', actor: 'op', time: '2025-01-01T00:00:00Z' } };
    expect(stepOf(fixed, 'revert').metadata.commandId).toBe('237d36d2-f223-58cc-ba41-23d72a85cf52');
  });
});

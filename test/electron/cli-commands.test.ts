import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../electron/cli/commands';

describe('the command table', () => {
  it.each(Object.keys(COMMANDS))(
    'lists %s with the summary of the command itself',
    async (name) => {
      const entry = COMMANDS[name]!;
      const command = await entry.load();
      expect(entry.summary).toBe(command.summary);
      expect(command.help.trim().length).toBeGreaterThan(0);
    },
  );
});

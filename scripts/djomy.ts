/**
 * `npm run djomy -- <command>`: developer tools around Djomy's webhooks, in
 * the spirit of `stripe trigger`: send a signed webhook to a running Worker,
 * sign or check a Djomy signature, check a merchant notification.
 */
import { type Command, parseFor, UsageError } from './cli/command.ts';
import { sign, verify, verifyMerchant } from './cli/signatures.ts';
import { webhook } from './cli/webhook.ts';

const COMMANDS: Command[] = [webhook, sign, verify, verifyMerchant];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: npm run djomy -- <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Run \`npm run djomy -- <command> --help\` for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const command = COMMANDS.find((candidate) => candidate.name === rest[0]);
    console.log(command ? command.help : overview());
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    const values = parseFor(command, rest);
    if (values.help) {
      console.log(command.help);
      return 0;
    }
    return await command.run(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`djomy: ${error.message}\n`);
    console.error(command ? `Run \`npm run djomy -- ${command.name} --help\`.` : overview());
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));

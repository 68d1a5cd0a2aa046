/** Process entry of the headless shell: runs the command line and exits with its code. */
import { main } from './cli.ts';

process.exitCode = await main(process.argv.slice(2));

import { platformCommands, type CliCommand } from '../server/platform/index.ts';
import { caseExportCommands, categoryLabelCommands, classifierCommands, hotIssueCommands, notificationCommands, open311Commands, replyQualityCommands, slaScanCommands } from '../server/modules/voices/index.ts';
import { startCommands } from './start.cli.ts';
import { ocdsOversightCommands } from '../server/modules/projects/procurement/ocds-oversight.cli.ts';
import { procurementCommands } from '../server/modules/projects/index.ts';
import { ocdsCompileCommands } from '../server/modules/projects/procurement/ocds-compile.cli.ts';
import { registryCommands } from '../server/modules/pairing/index.ts';
import { hotlineImportCommands } from '../server/modules/voices/index.ts';
import { pairCommands } from '../server/modules/pairing/pair.cli.ts';

/** Every `minxin` command, gathered from the modules' `*.cli.ts` adapters. */
export const commands: CliCommand[] = [...startCommands, ...platformCommands, ...hotlineImportCommands, ...open311Commands, ...slaScanCommands, ...notificationCommands, ...caseExportCommands, ...categoryLabelCommands, ...replyQualityCommands, ...hotIssueCommands, ...classifierCommands, ...registryCommands, ...ocdsOversightCommands, ...ocdsCompileCommands, ...procurementCommands, ...pairCommands];

// Writes RULES.md from the checks' metadata: `npm run rules`.
import * as fs from 'fs';
import * as path from 'path';
import { renderRulesMarkdown } from '../lib/policy/report/rules-table';

fs.writeFileSync(path.join(__dirname, '..', 'RULES.md'), renderRulesMarkdown());

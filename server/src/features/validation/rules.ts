import type { Rule } from '../context';
import { apiVersionCheck } from './apiVersion';
import { schemaValidation } from './schema';
import { yamlStructure } from './structure';
import { yamlSyntax } from './syntax';

/**
 * Every validation rule, in the order their diagnostics are listed. Add a rule with one line here;
 * a rule is a plain function over its context (see features/context.ts).
 */
export const RULES: readonly Rule[] = [
  { id: 'yaml-syntax', scope: 'section', run: yamlSyntax },
  { id: 'yaml-structure', scope: 'section', run: yamlStructure },
  { id: 'api-version', scope: 'section', run: apiVersionCheck },
  { id: 'schema', scope: 'section', run: schemaValidation },
];

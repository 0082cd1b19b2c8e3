// The version printed by --version and the Help menu; kept in step with package.json by a test.
export const VERSION = '0.1.0';

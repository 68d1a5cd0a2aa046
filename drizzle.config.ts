import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/main/station/db/schema.ts',
  out: './drizzle',
});
